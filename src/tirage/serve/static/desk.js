// tirage serve: keyboard-first review. Plain JavaScript, no dependency, no inline script.
"use strict";

(function () {
  const csrf = document.querySelector('meta[name="csrf"]').content;
  const root = document.querySelector('meta[name="root"]').content;
  const help = document.getElementById("help");
  const helpButton = document.getElementById("show-help");
  const search = document.getElementById("search");
  const status = document.getElementById("status");
  const SAVED = "tirage-saved"; // sessionStorage: what the previous page saved

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Tirage-CSRF": csrf },
      body: JSON.stringify(body),
    });
  }

  function say(text) { if (status) status.textContent = text; }

  function toggleHelp() {
    if (!help) return;
    if (help.open) help.close(); else help.showModal();
  }
  if (helpButton) helpButton.addEventListener("click", toggleHelp);

  function typing(target) {
    return target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT");
  }

  // Keys every page knows; none of them ever types into a text box.
  function common(event) {
    if (event.key === "F1" || (event.key === "?" && !typing(event.target))) {
      event.preventDefault(); toggleHelp(); return true;
    }
    if ((event.ctrlKey || event.metaKey) && (event.key === "k" || event.key === "K") && search) {
      event.preventDefault(); search.focus(); search.select(); return true;
    }
    return false;
  }

  // The confirmation of the save that brought us here, visible and announced.
  const saved = sessionStorage.getItem(SAVED);
  if (saved !== null) {
    sessionStorage.removeItem(SAVED);
    window.setTimeout(function () { say("Saved: “" + saved + "”."); }, 100);
  }

  // A first run's dashboard: rows still being counted are filled in as they are counted,
  // without moving the focus; the status line says how many are left, then that all are in.
  const counting = document.getElementById("counting");
  function refreshCounts() {
    fetch(location.href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.text();
    }).then(function (html) {
      const fresh = new DOMParser().parseFromString(html, "text/html");
      const left = fresh.getElementById("counting");
      if (!left) return;
      // Only the rows counted since are replaced; a link focused in one keeps the focus.
      const rows = fresh.querySelectorAll("table.catalogs tbody tr[data-doc]");
      for (const row of document.querySelectorAll("table.catalogs tbody tr[data-doc]")) {
        if (!row.querySelector("td.pending")) continue;
        const counted = Array.from(rows).find(function (other) {
          return other.dataset.doc === row.dataset.doc && other.dataset.lang === row.dataset.lang;
        });
        if (!counted || counted.querySelector("td.pending")) continue;
        const links = Array.from(row.querySelectorAll("a"));
        const focused = links.indexOf(document.activeElement);
        const made = document.importNode(counted, true);
        row.replaceWith(made);
        if (focused >= 0 && made.querySelectorAll("a")[focused]) made.querySelectorAll("a")[focused].focus();
      }
      const languages = document.querySelector("ul.languages");
      const counts = fresh.querySelector("ul.languages");
      if (languages && counts) languages.replaceWith(document.importNode(counts, true));
      if (left.dataset.pending !== counting.dataset.pending) {
        counting.dataset.pending = left.dataset.pending;
        counting.textContent = left.dataset.pending === "0"
          ? "Every catalog is counted." : left.textContent;
      }
      if (left.dataset.pending !== "0") window.setTimeout(refreshCounts, 1000);
    }).catch(function () { window.setTimeout(refreshCounts, 3000); });
  }
  if (counting && counting.dataset.pending !== "0") window.setTimeout(refreshCounts, 1000);

  const entry = document.getElementById("entry");
  if (!entry) {
    document.addEventListener("keydown", common);
    return;
  }

  const box = document.getElementById("msgstr");
  const findings = document.getElementById("findings");
  const conflict = document.getElementById("conflict");
  const errorsFound = document.getElementById("errors-found");
  const discard = document.getElementById("discard");
  const data = entry.dataset;
  // A plural entry is edited form by form: its value is the list of the forms.
  const formsBox = document.querySelector(".forms");
  const forms = Array.from(document.querySelectorAll("textarea.form"));
  const plural = formsBox !== null;
  function value() { return plural ? forms.map(function (f) { return f.value; }) : box.value; }
  function setValue(text) {
    if (plural) forms.forEach(function (f, i) { f.value = text[i] || ""; }); else box.value = text;
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
  function shown(text) { return plural ? text.join(" | ") : text; }
  const original = plural ? JSON.parse(formsBox.dataset.base) : data.base;
  let base = original;
  let saving = false;

  // Drafts: what was typed and not saved stays in this browser (a reload, a restart of
  // the server, an entry removed from the catalog) until it is saved or discarded.
  const draftKey = "tirage-draft:" + JSON.stringify([data.lang, data.doc, data.msgctxt || null, data.msgid]);
  function keepDraft() {
    if (same(value(), base)) { localStorage.removeItem(draftKey); discard.hidden = true; return; }
    localStorage.setItem(draftKey, JSON.stringify({ text: value(), base: base }));
    discard.hidden = false;
  }
  function dropDraft() { localStorage.removeItem(draftKey); discard.hidden = true; }
  const kept = localStorage.getItem(draftKey);
  if (kept !== null) {
    try {
      const draft = JSON.parse(kept);
      if (!same(draft.text, value()) && Array.isArray(draft.text) === plural) {
        setValue(draft.text);
        base = draft.base; // saving it is a decision about the version it was typed on
        discard.hidden = false;
        say("Your unsaved draft is back" + (!same(draft.base, original) ? " (the entry has changed since: saving it will show both versions)." : "."));
      }
    } catch (error) { dropDraft(); }
  }
  discard.addEventListener("click", function () {
    dropDraft(); base = original; setValue(original); recheck(); box.focus();
    say("Draft discarded.");
  });

  function go(url) {
    if (url) window.location.assign(url); else window.location.assign(data.here);
  }

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
      if (item.severity !== "error") li.append(" ", ignoreButton(item.check));
      findings.append(li);
    }
  }

  // A warning ignored for this entry stays ignored (recorded by the desk, shown no more).
  function ignoreButton(name) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "ignore";
    button.dataset.check = name;
    button.textContent = "Ignore " + name + " for this entry";
    button.addEventListener("click", function () { ignore(button); });
    return button;
  }
  async function ignore(button) {
    const body = { lang: data.lang, doc: data.doc, msgid: data.msgid, check: button.dataset.check };
    if ("msgctxt" in data) body.msgctxt = data.msgctxt;
    const response = await post(root + "/api/ignore", body);
    if (!response.ok) { say("Not ignored: " + response.status); return; }
    for (const li of findings.querySelectorAll("li")) {
      const mine = li.querySelector("button.ignore");
      if (mine && mine.dataset.check === button.dataset.check) li.remove();
    }
    if (!findings.querySelector("li")) showFindings([]);
    say(button.dataset.check + " is ignored for this entry from now on.");
    box.focus();
  }
  for (const button of document.querySelectorAll("button.ignore")) {
    button.addEventListener("click", function () { ignore(button); });
  }

  let timer = null;
  let checked = Promise.resolve();
  function recheck() {
    clearTimeout(timer);
    checked = new Promise(function (resolve) {
      timer = setTimeout(async function () {
        try {
          const found = [];
          for (const text of (plural ? value() : [box.value])) {
            const asked = { lang: data.lang, doc: data.doc, msgid: data.msgid, msgstr: text };
            if ("msgctxt" in data) asked.msgctxt = data.msgctxt;
            const response = await post(root + "/api/check", asked);
            const answer = await response.json();
            if (response.ok) found.push.apply(found, answer);
            else if (answer.error) say(answer.error);
          }
          showFindings(found);
        } catch (error) { /* the save says it */ }
        resolve();
      }, 150);
    });
  }
  for (const form of forms) {
    form.addEventListener("input", function () { keepDraft(); recheck(); errorsFound.hidden = true; });
  }

  async function save(anyway) {
    if (saving) return;
    if ((plural ? value() : [box.value]).some(function (t) { return !t.trim(); })) {
      say(plural ? "Every plural form needs a translation." : "An empty translation cannot be saved.");
      return;
    }
    await checked;
    const errors = findings.querySelectorAll("li.error");
    if (errors.length && !anyway) {
      const list = document.getElementById("errors-list");
      list.replaceChildren();
      for (const li of errors) list.append(li.cloneNode(true));
      errorsFound.hidden = false;
      say("Not saved yet: the translation has an error-level finding.");
      document.getElementById("save-anyway").focus();
      return;
    }
    errorsFound.hidden = true;
    saving = true;
    say("Saving…");
    const body = plural
      ? { lang: data.lang, doc: data.doc, msgid: data.msgid, forms: value(), base_forms: base }
      : { lang: data.lang, doc: data.doc, msgid: data.msgid, msgstr: box.value, base: base };
    if ("msgctxt" in data) body.msgctxt = data.msgctxt;
    try {
      const response = await post(root + "/api/decide", body);
      if (response.status === 403) {
        say("Not saved: this browser is no longer signed in to the desk (was tirage serve restarted?). Your text is kept in this browser: open the address tirage serve printed, then come back to this entry.");
        return;
      }
      const answer = await response.json();
      if (response.ok) {
        dropDraft();
        const text = answer.saved.length > 60 ? answer.saved.slice(0, 59) + "…" : answer.saved;
        sessionStorage.setItem(SAVED, text);
        say("Saved: “" + text + "”.");
        go(data.next);
        return;
      }
      if (response.status === 409) { showConflict(answer); return; }
      say("Not saved: " + (answer.error || response.status));
    } catch (error) {
      say("Not saved: the server did not answer (is tirage serve still running?). Your text is kept in this browser.");
    } finally {
      saving = false;
    }
  }

  function showConflict(answer) {
    document.getElementById("your-text").textContent = shown(value());
    if (answer.disk === null) {
      document.getElementById("disk-text").textContent = "(the entry is gone from the catalog; your text is kept in this browser)";
      document.getElementById("take-disk").hidden = true;
    } else {
      document.getElementById("disk-text").textContent = answer.disk;
      base = plural ? answer.disk_forms : answer.disk; // the next save decides about this version
      keepDraft();
    }
    conflict.hidden = false;
    say("Not saved: changed on disk.");
  }

  document.getElementById("take-disk").addEventListener("click", function () {
    setValue(base);
    conflict.hidden = true;
    keepDraft(); recheck(); say(""); box.focus();
  });
  document.getElementById("keep-mine").addEventListener("click", function () {
    conflict.hidden = true;
    say(""); box.focus();
  });
  document.getElementById("save-anyway").addEventListener("click", function () { save(true); });
  document.getElementById("keep-editing").addEventListener("click", function () {
    errorsFound.hidden = true; say(""); box.focus();
  });

  function insertMatch(number) {
    const button = document.querySelector('button.match[data-number="' + number + '"]');
    if (!button || plural) return false;
    box.value = button.dataset.target;
    keepDraft(); recheck(); box.focus();
    say("Memory match " + number + " inserted.");
    return true;
  }
  for (const button of document.querySelectorAll("button.match")) {
    button.addEventListener("click", function () { insertMatch(button.dataset.number); });
  }
  for (const button of document.querySelectorAll("button.revert")) {
    button.addEventListener("click", function () {
      box.value = button.dataset.text;
      keepDraft(); recheck(); box.focus();
      say("The earlier version is in the text box: save it to revert.");
    });
  }
  document.getElementById("save").addEventListener("click", function () { save(false); });
  document.getElementById("skip").addEventListener("click", function () { go(data.next); });

  document.addEventListener("keydown", function (event) {
    if (common(event)) return;
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault(); save(!errorsFound.hidden);
    } else if (event.altKey && event.key === "Enter") {
      event.preventDefault(); go(data.next);
    } else if (event.altKey && event.key === "ArrowDown") {
      event.preventDefault(); if (data.next) go(data.next);
    } else if (event.altKey && event.key === "ArrowUp") {
      event.preventDefault(); if (data.previous) go(data.previous);
    } else if ((event.ctrlKey || event.metaKey) && /^[1-9]$/.test(event.key)) {
      if (insertMatch(event.key)) event.preventDefault();
    }
  });

  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
})();
