"""Translations: source strings are Chinese; English comes from resources/i18n/*.ts.

    python -m ui.shell.i18n update    # pyside6-lupdate ui/**/*.py → reviewdesk_zh_CN.ts, reviewdesk_en.ts
    python -m ui.shell.i18n compile   # pyside6-lrelease → .qm next to the .ts (make translations)
    python -m ui.shell.i18n missing   # English strings still untranslated (exit 1 if any)

The language is chosen by ``--lang``, else the 语言/Language menu's choice kept in
QSettings (``ui/language``), else Chinese.
"""

from __future__ import annotations

import ast
import logging
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
UI_DIR = ROOT / "ui"
I18N_DIR = ROOT / "resources" / "i18n"
LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
SOURCE_LANGUAGE = "zh_CN"
SETTINGS_KEY = "ui/language"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - Qt's name, lupdate reads it
    """Marks ``text`` for lupdate in ``context``."""
    return text


# Qt's own dialogs (the file dialog of 另存为 PDF, the print dialog) use these strings, which
# the Chinese Qt ships (qtbase_zh_CN.qm) does not have in this wording: reviewdesk_zh_CN.ts
# gives them (and reviewdesk_en.ts keeps them as they are). Qt's translator is searched
# first, so these fill gaps only.
QT_GAPS = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
    QT_TRANSLATE_NOOP("QAbstractFileIconProvider", "Drive"),
    QT_TRANSLATE_NOOP("QPrintSettingsOutput", "Page &Set:"),
    QT_TRANSLATE_NOOP("QPrintSettingsOutput", "Page &order:"),
    QT_TRANSLATE_NOOP("QPrintSettingsOutput", "Pages &per sheet:"),
)


def ts_path(lang: str) -> Path:
    return I18N_DIR / f"reviewdesk_{lang}.ts"


def qm_path(lang: str) -> Path:
    return I18N_DIR / f"reviewdesk_{lang}.qm"


def sources() -> list[Path]:
    return sorted(p for p in UI_DIR.rglob("*.py") if p.name != "__init__.py")


def _tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6 (pip install -e .)")
    return found


def update() -> None:
    """Re-extract the strings of ui/**/*.py into both .ts files, keeping existing translations.

    pyside6-lupdate reads ``self.tr``, ``QCoreApplication.translate`` and the NOOP markers;
    module helpers of the form ``def _tr(text): return QCoreApplication.translate("Ctx", text)``
    (and ``_noop`` markers next to a module ``CONTEXT``) are read here with ``ast`` and added,
    and so are the texts of the tables a translate call looks its argument up in
    (``_tr(OUTCOME_LABELS[outcome])``, ``self.tr(label)`` in a loop over a table).
    """
    I18N_DIR.mkdir(parents=True, exist_ok=True)
    files = [str(p.relative_to(ROOT)) for p in sources()]
    extra = helper_messages(sources())
    for lang in LANGUAGES:
        path = ts_path(lang)
        kept = translations(path) if path.exists() else {}
        cmd = [
            _tool("pyside6-lupdate"),
            *files,
            "-source-language",
            SOURCE_LANGUAGE,
            "-target-language",
            lang,
            "-no-obsolete",
            "-locations",
            "none",
            "-ts",
            str(path.relative_to(ROOT)),
        ]
        subprocess.run(cmd, check=True, cwd=ROOT)
        _merge(path, extra, kept)


def _helper_context(func: ast.FunctionDef, constants: dict[str, str]) -> str | None:
    """The context of ``def f(text): return QCoreApplication.translate(CTX, text)``."""
    if len(func.args.args) != 1 or len(func.body) < 1:
        return None
    ret = func.body[-1]
    if not isinstance(ret, ast.Return) or not isinstance(ret.value, ast.Call):
        return None
    call = ret.value
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    if name != "translate" or len(call.args) != 2:
        return None
    ctx, arg = call.args
    if not (isinstance(arg, ast.Name) and arg.id == func.args.args[0].arg):
        return None
    if isinstance(ctx, ast.Constant) and isinstance(ctx.value, str):
        return ctx.value
    if isinstance(ctx, ast.Name):
        return constants.get(ctx.id)
    return None


def _module_constants(tree: ast.Module) -> dict[str, str]:
    return {
        t.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for t in node.targets
        if isinstance(t, ast.Name)
    }


def _chinese_strings(node: ast.AST) -> list[str]:
    """The string literals in ``node`` that are source text (they hold non-ASCII letters)."""
    return [
        n.value
        for n in ast.walk(node)
        if isinstance(n, ast.Constant)
        and isinstance(n.value, str)
        and any(ord(c) > 127 for c in n.value)
    ]


def _tables(body: list[ast.stmt]) -> dict[str, list[str]]:
    """Dict, tuple and list literals assigned to a name in ``body``, with their source texts."""
    found: dict[str, list[str]] = {}
    for node in body:
        value: ast.expr | None = None
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            value, targets = node.value, list(node.targets)
        elif isinstance(node, ast.AnnAssign):
            value, targets = node.value, [node.target]
        if not isinstance(value, ast.Dict | ast.Tuple | ast.List | ast.DictComp | ast.Call):
            continue
        texts = _chinese_strings(value)
        for target in targets:
            if isinstance(target, ast.Name) and texts:
                found[target.id] = texts
    return found


_MODULE_TABLES: dict[Path, dict[str, list[str]]] = {}


def _imported_tables(tree: ast.Module) -> dict[str, list[str]]:
    """Tables imported by name from the project's own modules (``from app.domain import
    KIND_LABELS``)."""
    found: dict[str, list[str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom) or not node.module or node.level:
            continue
        path = ROOT / (node.module.replace(".", "/") + ".py")
        if not path.exists():
            continue
        if path not in _MODULE_TABLES:
            _MODULE_TABLES[path] = _tables(ast.parse(path.read_text(encoding="utf-8")).body)
        for alias in node.names:
            texts = _MODULE_TABLES[path].get(alias.name)
            if texts:
                found[alias.asname or alias.name] = texts
    return found


def _bound_values(scope: ast.AST, name: str) -> list[ast.expr]:
    """What ``name`` is bound to in ``scope``: assignments and the iterables of loops."""
    values: list[ast.expr] = []
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            values.append(node.value)
        elif isinstance(node, ast.For | ast.comprehension) and any(
            isinstance(t, ast.Name) and t.id == name for t in ast.walk(node.target)
        ):
            values.append(node.iter)
    return values


def _table_texts(
    arg: ast.expr, scope: ast.AST, tables: dict[str, list[str]], klass: ast.ClassDef | None
) -> list[str]:
    """Source texts of the tables a dynamic translate argument reads (``_tr(LABELS[x])``,
    ``self.tr(label)`` with ``label`` from a loop over a table, ``self.tr(self.CHOICES…)``)."""
    class_tables = _tables(klass.body) if klass is not None else {}
    exprs: list[ast.expr] = [arg]
    if isinstance(arg, ast.Name):
        exprs += _bound_values(scope, arg.id)
    texts: list[str] = []
    for expr in exprs:
        for node in ast.walk(expr):
            if isinstance(node, ast.Name) and node.id in tables:
                texts += tables[node.id]
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "self"
                and node.attr in class_tables
            ):
                texts += class_tables[node.attr]
    return texts


def helper_messages(paths: list[Path]) -> list[tuple[str, str]]:
    """(context, source) for string literals passed to a module's translate helpers, and for
    the texts of the tables a translate call looks its argument up in."""
    found: list[tuple[str, str]] = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _module_constants(tree)
        helpers: dict[str, str] = {}
        for stmt in tree.body:
            if isinstance(stmt, ast.FunctionDef):
                ctx = _helper_context(stmt, constants)
                if ctx is not None:
                    helpers[stmt.name] = ctx
                elif "noop" in stmt.name.lower() and "CONTEXT" in constants:
                    helpers[stmt.name] = constants["CONTEXT"]
        tables = {**_imported_tables(tree), **_tables(tree.body)}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in helpers
                and len(node.args) == 1
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.append((helpers[node.func.id], node.args[0].value))
        found += _dynamic_messages(tree, helpers, constants, tables)
    return list(dict.fromkeys(found))


def _dynamic_messages(
    tree: ast.Module,
    helpers: dict[str, str],
    constants: dict[str, str],
    tables: dict[str, list[str]],
) -> list[tuple[str, str]]:
    """Translate calls whose argument is looked up in a table: the table's texts, in the
    call's context (a helper's, ``self.tr``'s class, ``translate``'s first argument)."""
    found: list[tuple[str, str]] = []

    def visit(node: ast.AST, klass: ast.ClassDef | None, scope: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child, child)
                continue
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                visit(child, klass, child)
                continue
            if isinstance(child, ast.Call):
                context, arg = _call_context(child, helpers, constants, klass)
                literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                if context is not None and arg is not None and not literal:
                    found.extend((context, t) for t in _table_texts(arg, scope, tables, klass))
            visit(child, klass, scope)

    visit(tree, None, tree)
    return found


def _call_context(
    call: ast.Call,
    helpers: dict[str, str],
    constants: dict[str, str],
    klass: ast.ClassDef | None,
) -> tuple[str | None, ast.expr | None]:
    func = call.func
    if isinstance(func, ast.Name) and func.id in helpers and len(call.args) == 1:
        return helpers[func.id], call.args[0]
    if (
        isinstance(func, ast.Attribute)
        and func.attr == "tr"
        and isinstance(func.value, ast.Name)
        and func.value.id == "self"
        and klass is not None
        and len(call.args) >= 1
    ):
        return klass.name, call.args[0]
    if isinstance(func, ast.Attribute) and func.attr == "translate" and len(call.args) >= 2:
        ctx = call.args[0]
        if isinstance(ctx, ast.Constant) and isinstance(ctx.value, str):
            return ctx.value, call.args[1]
        if isinstance(ctx, ast.Name) and ctx.id in constants:
            return constants[ctx.id], call.args[1]
    return None, None


def translations(path: Path) -> dict[tuple[str, str], str]:
    """Finished translations in a .ts file, by (context, source)."""
    out: dict[tuple[str, str], str] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            tr = message.find("translation")
            if tr is not None and tr.get("type") is None and (tr.text or "").strip():
                out[(name, message.findtext("source", ""))] = tr.text or ""
    return out


def _merge(path: Path, extra: list[tuple[str, str]], kept: dict[tuple[str, str], str]) -> None:
    """Add the helper messages and restore translations lupdate dropped as obsolete."""
    tree = ET.parse(path)
    root = tree.getroot()
    contexts = {c.findtext("name", ""): c for c in root.iter("context")}
    present = {
        (name, m.findtext("source", "")) for name, c in contexts.items() for m in c.iter("message")
    }
    for ctx, source in extra:
        if (ctx, source) in present:
            continue
        present.add((ctx, source))
        context = contexts.get(ctx)
        if context is None:
            context = ET.SubElement(root, "context")
            ET.SubElement(context, "name").text = ctx
            contexts[ctx] = context
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = source
        ET.SubElement(message, "translation", {"type": "unfinished"})
    for name, context in contexts.items():
        for message in context.iter("message"):
            tr = message.find("translation")
            key = (name, message.findtext("source", ""))
            unfinished = tr is not None and (
                tr.get("type") == "unfinished" or not (tr.text or "").strip()
            )
            if tr is not None and unfinished and key in kept:
                tr.text = kept[key]
                tr.attrib.pop("type", None)
    ET.indent(tree, space="    ")
    with path.open("wb") as f:
        f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(f, encoding="utf-8", xml_declaration=False)
        f.write(b"\n")


def set_translations(lang: str, mapping: dict[tuple[str, str], str]) -> int:
    """Fill translations into ``lang``'s .ts (used when adding English for new strings)."""
    path = ts_path(lang)
    _merge(path, [], mapping)
    return len(mapping)


def compile_all() -> None:
    for lang in LANGUAGES:
        cmd = [_tool("pyside6-lrelease"), str(ts_path(lang)), "-qm", str(qm_path(lang))]
        subprocess.run(cmd, check=True, cwd=ROOT)


def missing(lang: str = "en") -> list[tuple[str, str]]:
    """(context, source) pairs with no finished translation in ``lang``'s .ts file."""
    tree = ET.parse(ts_path(lang))
    out = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None:
                continue
            kind = translation.get("type")
            if kind in ("vanished", "obsolete"):
                continue
            if kind == "unfinished" or not (translation.text or "").strip():
                out.append((name, message.findtext("source", "")))
    return out


def choose_language(override: str | None, settings: QSettings | None) -> str:
    """``--lang`` beats the saved choice beats Chinese."""
    if override in LANGUAGES:
        return str(override)
    if settings is not None:
        saved = settings.value(SETTINGS_KEY)
        if saved in LANGUAGES:
            return str(saved)
    return DEFAULT_LANGUAGE


def install(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Install ReviewDesk's and Qt's own translators for ``lang``; returns them (keep them alive)."""
    installed: list[QTranslator] = []
    ours = QTranslator(app)
    path = qm_path(lang)
    if path.exists() and ours.load(str(path)):
        app.installTranslator(ours)
        installed.append(ours)
    elif lang != SOURCE_LANGUAGE:
        log.warning("no compiled translation at %s: run `make translations`", path)
    qt = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(QLocale(lang), "qtbase", "_", qt_dir):
        app.installTranslator(qt)
        installed.append(qt)
    else:
        log.warning(
            "Qt's own translation qtbase_%s.qm is not in %s: Qt's dialogs stay English",
            lang,
            qt_dir,
        )
    QLocale.setDefault(QLocale(lang))
    return installed


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["update"]:
        update()
        return 0
    if args == ["compile"]:
        compile_all()
        return 0
    if args == ["missing"]:
        gaps = missing("en")
        for context, source in gaps:
            print(f"{context}: {source}")
        print(f"{len(gaps)} untranslated")
        return 1 if gaps else 0
    print("usage: python -m ui.shell.i18n update|compile|missing", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
