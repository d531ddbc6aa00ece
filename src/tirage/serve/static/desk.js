// tirage serve: keyboard-first review. Plain JavaScript, no dependency, no inline script.
"use strict";

(function () {
  const csrf = document.querySelector('meta[name="csrf"]').content;
  const root = document.querySelector('meta[name="root"]').content;
  const entry = document.getElementById("entry");
  const help = document.getElementById("help");
  const helpButton = document.getElementById("show-help");

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Tirage-CSRF": csrf },
      body: JSON.stringify(body),
    });
  }

  function toggleHelp() {
    if (!help) return;
    if (help.open) help.close(); else help.showModal();
  }
  if (helpButton) helpButton.addEventListener("click", toggleHelp);

  function typing(target) {
    return target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT");
  }

  if (!entry) {
    document.addEventListener("keydown", function (event) {
      if (event.key === "?" && !typing(event.target)) { event.preventDefault(); toggleHelp(); }
    });
    return;
  }

  const box = document.getElementById("msgstr");
  const status = document.getElementById("status");
  const findings = document.getElementById("findings");
  const conflict = document.getElementById("conflict");
  const data = entry.dataset;
  let base = data.base;
  let saving = false;

  function go(url) {
    if (url) window.location.assign(url); else window.location.reload();
  }

  function say(text) { status.textContent = text; }

  function showFindings(list) {
    findings.replaceChildren();
    if (!list.length) {
      const li = document.createElement("li");
      li.className = "none";
      li.textContent = "No findings.";
      findings.append(li);
      return;
    }
    for (const item of list) {
      const li = document.createElement("li");
      li.className = item.severity;
      const b = document.createElement("b");
      b.textContent = item.severity;
      li.append(b, " " + item.check + ": " + item.evidence);
      findings.append(li);
    }
  }

  function hasErrors() {
    return findings.querySelector("li.error") !== null;
  }

  let timer = null;
  function recheck() {
    clearTimeout(timer);
    timer = setTimeout(async function () {
      const response = await post(root + "/api/check", { lang: data.lang, msgid: data.msgid, msgstr: box.value });
      if (response.ok) showFindings(await response.json());
    }, 150);
  }
  box.addEventListener("input", recheck);

  async function save() {
    if (saving) return;
    if (!box.value.trim()) { say("An empty translation cannot be accepted."); return; }
    if (hasErrors() && !window.confirm("This translation has an error-level finding. Save it anyway?")) return;
    saving = true;
    say("Saving…");
    const body = { lang: data.lang, doc: data.doc, msgid: data.msgid, msgstr: box.value, base: base };
    if ("msgctxt" in data) body.msgctxt = data.msgctxt;
    try {
      const response = await post(root + "/api/decide", body);
      if (response.status === 403) {
        say("Not saved: this browser is no longer signed in to the desk (was tirage serve restarted?). Open the address it printed.");
        return;
      }
      const answer = await response.json();
      if (response.ok) { say("Saved."); go(data.next); return; }
      if (response.status === 409) { showConflict(answer); return; }
      say("Not saved: " + (answer.error || response.status));
    } catch (error) {
      say("Not saved: the server did not answer (is tirage serve still running?).");
    } finally {
      saving = false;
    }
  }

  function showConflict(answer) {
    document.getElementById("your-text").textContent = box.value;
    if (answer.disk === null) {
      document.getElementById("disk-text").textContent = "(the entry is gone from the catalog: reload the page)";
      document.getElementById("take-disk").hidden = true;
    } else {
      document.getElementById("disk-text").textContent = answer.disk;
      base = answer.disk; // the next save is a decision about this version
    }
    conflict.hidden = false;
    say("Not saved: changed on disk.");
  }

  document.getElementById("take-disk").addEventListener("click", function () {
    box.value = base;
    conflict.hidden = true;
    recheck();
    box.focus();
  });
  document.getElementById("keep-mine").addEventListener("click", function () {
    conflict.hidden = true;
    box.focus();
  });

  function insertMatch(number) {
    const button = document.querySelector('button.match[data-number="' + number + '"]');
    if (!button) return false;
    box.value = button.dataset.target;
    recheck();
    box.focus();
    say("Memory match " + number + " inserted.");
    return true;
  }
  for (const button of document.querySelectorAll("button.match")) {
    button.addEventListener("click", function () { insertMatch(button.dataset.number); });
  }
  document.getElementById("save").addEventListener("click", save);
  document.getElementById("skip").addEventListener("click", function () { go(data.next); });

  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault(); save();
    } else if (event.altKey && event.key === "Enter") {
      event.preventDefault(); go(data.next);
    } else if (event.altKey && event.key === "ArrowDown") {
      event.preventDefault(); if (data.next) go(data.next);
    } else if (event.altKey && event.key === "ArrowUp") {
      event.preventDefault(); if (data.previous) go(data.previous);
    } else if ((event.ctrlKey || event.metaKey) && /^[1-9]$/.test(event.key)) {
      if (insertMatch(event.key)) event.preventDefault();
    } else if (event.key === "?" && !typing(event.target)) {
      event.preventDefault(); toggleHelp();
    }
  });

  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
})();
