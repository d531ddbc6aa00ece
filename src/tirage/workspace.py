"""tirage.toml → Workspace: the languages, paths and settings every command works from."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from tirage.errors import ConfigError

CONFIG_NAME = "tirage.toml"
SOURCE_SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown"}
DEFAULT_THRESHOLD = 80.0


@dataclass(frozen=True)
class EngineSettings:
    """Settings for the machine-translation first pass (`[translate]` in tirage.toml)."""

    engine: str = "argos"
    fallback: tuple[str, ...] = ()  # engines tried in turn when `engine` lacks the pair
    beam_size: int = 2
    compute_type: str = "int8"
    batch_size: int = 32
    device: str = "auto"  # cpu | cuda | auto (a GPU when CTranslate2 sees one)
    # Archive scale (tirage.cluster): "" runs here; "auto" starts or joins a local Ray
    # instance; "HOST:PORT" joins that cluster.
    ray: str = ""
    actors_per_node: int = 1  # Ray actors per CPU node (a GPU node: one per GPU)
    threads_per_actor: int = 0  # CTranslate2 workers per actor; 0: the node's CPUs ÷ actors


@dataclass(frozen=True)
class Workspace:
    root: Path
    source_lang: str
    targets: tuple[str, ...]
    threshold: float = DEFAULT_THRESHOLD
    translator: str = ""
    team: str = ""
    engine: EngineSettings = field(default_factory=EngineSettings)

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
        """Source documents, sorted; files of other kinds are refused by the readers."""
        if not self.source_dir.is_dir():
            return []
        return sorted(
            p for p in self.source_dir.iterdir() if p.is_file() and not p.name.startswith(".")
        )

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

    def select_targets(self, requested: str | None) -> tuple[str, ...]:
        """Targets named by `--to en,es`, checked against tirage.toml; all when None."""
        if not requested:
            return self.targets
        langs = tuple(code.strip() for code in requested.split(",") if code.strip())
        for lang in langs:
            if lang not in self.targets:
                known = ", ".join(self.targets)
                raise ConfigError(
                    f"'{lang}' is not a target language (targets: {known})", self.config_path
                )
        return langs


def check_language(code: str, path: Path | None = None, line: int | None = None) -> str:
    """Accept only language codes that babel knows (fr, en, pt_BR, sr_Latn…)."""
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ConfigError(f"unknown language code '{code}'", path, line) from None
    return code


def language_name(code: str, in_lang: str = "en") -> str:
    """'fr' → 'French' (in English), via babel."""
    locale = Locale.parse(code.replace("-", "_"))
    return locale.get_display_name(in_lang) or code


def load_workspace(root: Path) -> Workspace:
    path = root / CONFIG_NAME
    if not path.is_file():
        raise ConfigError(
            f"no {CONFIG_NAME} here; create a workspace with `tirage init {root}`", root
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text", path) from None
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise ConfigError(f"invalid TOML: {exc.args[0].split(' (at')[0]}", path, line) from None
    return parse_workspace(root, data, path)


def parse_workspace(root: Path, data: dict[str, Any], path: Path) -> Workspace:
    source = data.get("source_language")
    if not isinstance(source, str):
        raise ConfigError('source_language must be a language code, e.g. "fr"', path)
    targets = data.get("target_languages")
    if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
        raise ConfigError('target_languages must be a list, e.g. ["en", "es"]', path)
    for key, codes in (("source_language", [source]), ("target_languages", targets)):
        for code in codes:
            try:
                check_language(code)
            except ConfigError as exc:
                # The file is read again for the line only when there is an error to place.
                raise ConfigError(exc.message, path, _line_of_key(path, key)) from None
    publish = data.get("publish", {})
    translate = data.get("translate", {})
    try:
        engine = EngineSettings(
            engine=str(translate.get("engine", "argos")),
            fallback=tuple(str(name) for name in translate.get("fallback", [])),
            beam_size=int(translate.get("beam_size", 2)),
            compute_type=str(translate.get("compute_type", "int8")),
            batch_size=int(translate.get("batch_size", 32)),
            device=str(translate.get("device", "auto")),
            ray=str(translate.get("ray", "")),
            actors_per_node=int(translate.get("actors_per_node", 1)),
            threads_per_actor=int(translate.get("threads_per_actor", 0)),
        )
        threshold = float(publish.get("threshold", DEFAULT_THRESHOLD))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"bad setting: {exc}", path) from None
    if engine.device not in ("cpu", "cuda", "auto"):
        raise ConfigError(
            f"device must be cpu, cuda or auto, not '{engine.device}'",
            path,
            _line_of_key(path, "device"),
        )
    if engine.actors_per_node < 1 or engine.threads_per_actor < 0:
        key = "actors_per_node" if engine.actors_per_node < 1 else "threads_per_actor"
        raise ConfigError(f"{key} must be a positive number", path, _line_of_key(path, key))
    team = data.get("team", {})
    return Workspace(
        root=root,
        source_lang=source,
        targets=tuple(targets),
        threshold=threshold,
        translator=str(team.get("translator", "")),
        team=str(team.get("name", "")),
        engine=engine,
    )


def _line_of_key(path: Path, key: str) -> int | None:
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text.lstrip().startswith(key):
            return number
    return None


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
        "\n"
        "[translate]\n"
        'engine = "argos"      # argos | apertium | pseudo\n'
        'fallback = ["apertium"]  # tried in turn for a pair the engine lacks\n'
        "beam_size = 2\n"
        'compute_type = "int8"\n'
    )
