"""tirage.toml → Workspace: the languages, paths and settings every command works from."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale

from tirage.containment import check_inside, remove_leftovers
from tirage.errors import ConfigError, SourceError, UsageError
from tirage.languages import canonical, did_you_mean, same
from tirage.readers.markdown_dialects import MarkdownOptions
from tirage.settings import read_settings

CONFIG_NAME = "tirage.toml"
SOURCE_SUFFIXES = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
DEFAULT_THRESHOLD = 80.0
# Bytes of a file name that are not UTF-8 come through os.fsdecode as lone surrogates.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class EngineSettings:
    """Settings for the machine-translation first pass (`[translate]` in tirage.toml)."""

    engine: str = "argos"
    fallback: tuple[str, ...] = ()  # engines tried in turn when `engine` lacks the pair
    beam_size: int = 2
    compute_type: str = "int8"
    batch_size: int = 0  # 0: measured for the model and machine (mt/batching.py)
    device: str = "auto"  # cpu | cuda | auto (a GPU when CTranslate2 sees one)
    # Archive scale (tirage.cluster): "" runs here; "auto" starts or joins a local Ray
    # instance; "HOST:PORT" joins that cluster.
    ray: str = ""
    actors_per_node: int = 1  # Ray actors per CPU node (a GPU node: one per GPU)
    threads_per_actor: int = 0  # CTranslate2 workers per actor; 0: the node's CPUs ÷ actors


@dataclass(frozen=True)
class PublishSettings:
    """`[publish]` keys for the editions' metadata and the print edition."""

    name: str = ""  # the publication, in JSON-LD and the PDF's Author
    base_url: str = ""  # where editions/ is published; "" gives relative links
    page: str = "A4"  # the print edition's page: A4, A5, A3, letter, legal, tabloid, "W H"


@dataclass(frozen=True)
class Workspace:
    root: Path
    source_lang: str
    targets: tuple[str, ...]
    threshold: float = DEFAULT_THRESHOLD
    translator: str = ""
    team: str = ""
    engine: EngineSettings = field(default_factory=EngineSettings)
    allow_linked_editions: bool = False  # [publish]: editions/ may link outside the root
    publish: PublishSettings = field(default_factory=PublishSettings)
    markdown: MarkdownOptions = field(default_factory=MarkdownOptions)  # [markdown]

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def source_dir(self) -> Path:
        return self.root / "source"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def editions_dir(self) -> Path:
        return self.root / "editions"

    @property
    def state_dir(self) -> Path:
        return self.root / ".tirage"

    @property
    def glossary_path(self) -> Path:
        return self.root / "glossary.csv"

    def sources(self) -> list[Path]:
        """Source documents, sorted: every entry of source/ but folders and hidden files.
        One the readers cannot take (a FIFO, a device, an unknown suffix) is refused when
        read, never skipped in silence; so are a file name that is not UTF-8 and two
        documents that would share one template (`twin.txt` and `twin.md`)."""
        try:
            entries = sorted(self.source_dir.iterdir())
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as exc:
            raise SourceError(f"cannot read: {exc.strerror or exc}", self.source_dir) from None
        found: list[Path] = []
        stems: dict[str, Path] = {}
        for path in entries:
            if path.name.startswith("."):
                continue
            if path.is_dir():
                if path.suffix.lower() in SOURCE_SUFFIXES and not path.is_symlink():
                    raise SourceError("a folder where a document belongs", path)
                continue
            if _NOT_UTF8.search(path.name):
                shown = os.fsencode(path.name).decode("utf-8", "backslashreplace")
                raise SourceError("the file name is not UTF-8", self.source_dir / shown)
            twin = stems.setdefault(path.stem, path)
            if twin != path:
                raise SourceError(
                    f"{twin.name} and {path.name} would share one template, "
                    f"locales/{path.stem}.pot; rename one of them",
                    path,
                )
            found.append(path)
        return found

    def source(self, stem: str) -> Path | None:
        """The source document whose template is `locales/<stem>.pot` (one at most: `sources`
        refuses twins)."""
        return next((path for path in self.sources() if path.stem == stem), None)

    def pot_path(self, stem: str) -> Path:
        return self.locales_dir / f"{stem}.pot"

    def po_path(self, lang: str, stem: str) -> Path:
        return self.locales_dir / lang / f"{stem}.po"

    def relative(self, path: Path) -> str:
        """A path as written in PO references: relative to the root, with slashes."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def select_targets(self, requested: str | None, option: str = "--to") -> tuple[str, ...]:
        """Targets named by `--to en,es` (any case), as tirage.toml spells them; all when None.

        A code that is not a target is a usage error of the option, with a suggestion.
        """
        if not requested:
            return self.targets
        langs = []
        for code in (code.strip() for code in requested.split(",")):
            if not code:
                continue
            match = [target for target in self.targets if same(target, code)]
            if not match:
                known = ", ".join(self.targets)
                hint = did_you_mean(code, self.targets)
                what = "a target language" if canonical(code) else "a language code"
                raise UsageError(f"{option}: '{code}' is not {what} (targets: {known}){hint}")
            langs.append(match[0])
        return tuple(langs)


def check_language(code: str, option: str | None = None) -> str:
    """A language code babel knows (fr, en, pt-BR, sr_Latn…), in babel's case (`EN` → en).

    Given on the command line (`option`), a bad code is a usage error naming the option.
    """
    found = canonical(code)
    if found is None:
        message = f"unknown language code '{code}'{did_you_mean(code)}"
        raise UsageError(f"{option}: {message}") if option else ConfigError(message)
    return found


def language_name(code: str, in_lang: str = "en") -> str:
    """'fr' → 'French' (in English), via babel."""
    locale = Locale.parse(code.replace("-", "_"))
    return locale.get_display_name(in_lang) or code


def find_root(start: Path) -> Path | None:
    """The nearest folder holding tirage.toml, from `start` up through its parents (as git
    finds its repository), or None."""
    start = start.absolute()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def load_workspace(root: Path) -> Workspace:
    """The workspace holding `root` (tirage.toml there or in a parent folder)."""
    if not root.is_dir():
        raise ConfigError("not a folder" if os.path.lexists(root) else "no such folder", root)
    found = find_root(root)
    if found is None:
        raise ConfigError(
            f"no {CONFIG_NAME} here or in any parent folder; "
            f"create a workspace with `tirage init {root}`",
            root,
        )
    if found != root.absolute():
        root = found
    path = root / CONFIG_NAME
    values = read_settings(path)
    top, publish, translate, team = (values[t] for t in ("", "publish", "translate", "team"))
    defaults = EngineSettings()
    ws = Workspace(
        root=root,
        source_lang=top["source_language"],
        targets=tuple(top["target_languages"]),
        threshold=publish.get("threshold", DEFAULT_THRESHOLD),
        translator=team.get("translator", ""),
        team=team.get("name", ""),
        engine=EngineSettings(
            engine=translate.get("engine", defaults.engine),
            fallback=translate.get("fallback", defaults.fallback),
            beam_size=translate.get("beam_size", defaults.beam_size),
            compute_type=translate.get("compute_type", defaults.compute_type),
            batch_size=translate.get("batch_size", defaults.batch_size),
            device=translate.get("device", defaults.device),
            ray=translate.get("ray", defaults.ray),
            actors_per_node=translate.get("actors_per_node", defaults.actors_per_node),
            threads_per_actor=translate.get("threads_per_actor", defaults.threads_per_actor),
        ),
        allow_linked_editions=publish.get("allow_linked_editions", False),
        publish=PublishSettings(
            **{key: publish[key] for key in ("name", "base_url", "page") if key in publish}
        ),
        markdown=MarkdownOptions(**values.get("markdown", {})),
    )
    check_inside(ws)  # before anything is read or written
    remove_leftovers(ws)
    return ws


def render_config(source: str, targets: list[str]) -> str:
    quoted = ", ".join(f'"{t}"' for t in targets)
    return (
        "# tirage workspace: see README.md\n"
        f'source_language = "{source}"\n'
        f"target_languages = [{quoted}]\n"
        "\n"
        "[publish]\n"
        "# Share of reviewed segments (translated, not fuzzy) a language needs to be exported.\n"
        f"threshold = {DEFAULT_THRESHOLD:g}\n"
        '# name = "Example Weekly"                  # the publisher, in JSON-LD and PDFs\n'
        '# base_url = "https://example.org/news/"  # where editions/ is published\n'
        '# page = "A4"                             # print edition: A4, letter, tabloid…\n'
        "\n"
        "[translate]\n"
        'engine = "argos"      # argos | apertium | pseudo\n'
        'fallback = ["apertium"]  # tried in turn for a pair the engine lacks\n'
        "beam_size = 2\n"
        'compute_type = "int8"\n'
    )
