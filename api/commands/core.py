"""Core CLI commands: ``ingest``, ``extract``, ``search``, ``serve``, ``stats``.

The output of ``extract --json`` and ``search --json`` is the evaluation
contract (``../shared/eval/FORMAT.md``): one JSON object per line, nothing else
on stdout. Progress and errors go to stderr. Heavy modules (spaCy, the store)
are imported inside the commands so ``policylens --help`` stays fast.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

import typer

from api.commands.options import Region, Org, Year, DocType, Doc
from api.render import doc_filters, emit, fail, json_line, open_store, place_filters

# fields of a search hit on the JSON output (FORMAT.md asks for the first five)
HIT_FIELDS = ("doc", "text", "start", "end", "score", "page", "doc_id", "passage", "highlights",
              "more_in_doc", "answer")




# ---- ingest -------------------------------------------------------------------------

def ingest(paths: list[Path] = typer.Argument(..., help="文件或文件夹（递归）/ files or folders (recursive)"),
           quiet: bool = typer.Option(False, "--quiet", "-q", help="不显示进度 / no progress bar"),
           workers: int = typer.Option(0, "--workers", "-w", min=0,
                                       help="并行进程数（0 = CPU 核数）/ worker processes (0 = all cores)"),
           timeout: float = typer.Option(300.0, "--timeout", min=0.1,
                                         help="单个文件的时限（秒）/ time limit per file (s)"),
           memory_limit: int = typer.Option(0, "--memory-limit", min=0, metavar="MB",
                                            help="每个处理进程的内存上限（MB，0 = 不限）/ memory "
                                                 "limit per worker process (MB, 0 = none)"),
           ) -> None:
    """导入文档到索引 / Ingest documents (txt, md, pdf, docx) into the index.

    Files are hashed first (unchanged ones are skipped without parsing), then
    read and analysed by worker processes; this process writes each document
    whole. Exit code 1 when any file failed, 0 otherwise."""
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    from search.indexing import FileOutcome, iter_files
    from search.pool import Pool, Throughput, WorkerStartError, default_workers

    skipped: list[Path] = []
    files = iter_files(paths, skipped)
    backend = open_store()
    err = Console(stderr=True)
    outcomes: list[FileOutcome] = []
    rates = Throughput(total=len(files))
    n_workers = workers or default_workers()
    try:
        with Progress(TextColumn("[bold]导入 ingest"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), TextColumn("剩余 ETA"), TimeRemainingColumn(),
                      TextColumn("{task.description}"), console=err,
                      disable=quiet, transient=False) as progress:
            task = progress.add_task("", total=len(files))
            pool = Pool(n_workers, timeout, memory_limit=memory_limit * 2**20)
            for outcome, n in _outcomes(pool, files, backend):
                outcomes.append(outcome)
                rates.done, rates.chars = len(outcomes), rates.chars + n
                files_s, chars_s, _ = rates.rates()
                progress.update(task, advance=1, description=(
                    f"{files_s:.1f} 文件/秒 files/s, "
                    f"{chars_s:,.0f} 字/秒 chars/s  {Path(outcome.path).name}"))
            files_s, chars_s, _ = rates.rates()  # the last rates stay on the finished bar
            progress.update(task, description=f"{files_s:.1f} 文件/秒 files/s, "
                                              f"{chars_s:,.0f} 字/秒 chars/s")
    except WorkerStartError as error:
        fail(str(error), 1)
    finally:
        backend.close()
    counts = {s: sum(1 for o in outcomes if o.status == s)
              for s in ("ingested", "unchanged", "replaced", "reanalysed", "failed")}
    labels = {"ingested": "新增 ingested", "unchanged": "未变 unchanged",
              "replaced": "更新 replaced", "reanalysed": "重新分析 reanalysed",
              "failed": "失败 failed"}
    summary = ", ".join(f"{labels[s]}: {n}" for s, n in counts.items() if n or s != "reanalysed")
    if skipped:
        summary += f", 跳过 skipped: {len(skipped)}"
    files_s, chars_s, _ = rates.rates()
    sys.stderr.write(f"共 {len(outcomes)} 个文件 files — {summary}\n"
                     f"  {n_workers} 个进程 workers, {files_s:.1f} 文件/秒 files/s, "
                     f"{chars_s:,.0f} 字/秒 chars/s\n")
    for f in skipped:
        sys.stderr.write(f"  跳过 skipped: {f}: 不支持的文件类型 unsupported file type\n")
    for o in outcomes:
        if o.status == "failed":
            sys.stderr.write(f"  失败 failed: {o.path}: {o.reason}\n")
        for warning in o.warnings:
            sys.stderr.write(f"  警告 warning: {o.path}: {warning}\n")
    if not files:
        sys.stderr.write("没有找到文件 no files found\n")
    raise typer.Exit(1 if counts["failed"] else 0)


def _outcomes(pool: Any, files: list[Path], backend: Any) -> Any:
    """``(outcome, chars)`` pairs from the pool as files finish."""
    got: list[tuple[Any, int]] = []
    for _ in pool.run(files, backend, on_outcome=lambda o, n: got.append((o, n))):
        yield got.pop(0)


# ---- extract ------------------------------------------------------------------------

def extract(file: Path = typer.Argument(..., help="文档 / document (txt, md, pdf, docx, xlsx, xls)"),
            as_json: bool = typer.Option(False, "--json", help="每行一个 JSON 条目 / JSON lines"),
            types: Optional[list[str]] = typer.Option(None, "--type", "-t",
                                                      help="只显示这些类型 / only these item types"),
            ) -> None:
    """抽取数字、目标、指标和实体 / Extract figures, goals, indicators and entities from one file."""
    from ingest.document import IngestError
    from ingest.readers import read

    try:
        document = read(file)
    except IngestError as err:
        fail(str(err), 1)
    except OSError as err:
        fail(f"{file}: {err.strerror or err}", 1)
    except Exception as err:  # a reader bug on odd input: still one line naming the file
        fail(f"{file}: 无法读取 cannot read: {type(err).__name__}: {err}", 1)
    from nlp.pipeline import analyse  # spaCy only once there is a document to analyse

    try:
        analysis = analyse(document)
    except Exception as err:  # an extractor bug must not look like a crash to the user
        fail(f"{file}: 分析失败 analysis failed: {type(err).__name__}: {err}", 1)
    # the reader's warnings and the analysis' (a table skipped, with its reason)
    for warning in document.meta.get("warnings", []):
        sys.stderr.write(f"警告 warning: {file}: {warning}\n")
    items = [i.to_json() for i in analysis.items if not types or i.type in types]
    if as_json:
        emit(items, "json")
        return
    rows = [{"类型 type": it["type"], "页 page": it.get("page"), "位置 span":
             f"{it['start']}-{it['end']}", "原文 text": it["text"][:60], "字段 fields": _fields(it)}
            for it in items]
    emit(rows, "table", title=f"{document.source} — {len(items)} 条 items")


def _fields(item: dict[str, Any]) -> str:
    skip = {"type", "start", "end", "text", "page", "context"}
    return ", ".join(f"{k}={v}" for k, v in item.items() if k not in skip and v not in (None, "", []))


# ---- search -------------------------------------------------------------------------

def _encodable(text: str) -> bool:
    """UTF-8 can write it (JSON allows lone surrogate escapes that no text has)."""
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _read_queries(path: Path) -> list[dict[str, Any]]:
    """``{"id", "query"}`` JSON lines; a bad line is an error naming file and line."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as err:
        fail(f"{path}: {err.strerror or err}")
    except UnicodeDecodeError:
        fail(f"{path}: 不是 UTF-8 文本 not UTF-8 text")
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            fail(f"{path}:{n}: 不是 JSON not JSON ({err.msg})")
        if isinstance(obj, str):
            obj = {"id": None, "query": obj}
        if not isinstance(obj, dict) or not isinstance(obj.get("query"), str):
            fail(f"{path}:{n}: 缺少 query 字段 missing \"query\"")
        for key in ("id", "query"):
            if isinstance(obj.get(key), str) and not _encodable(obj[key]):
                fail(f"{path}:{n}: \"{key}\" 含孤立代理字符 has a lone surrogate (\\ud800-\\udfff "
                     "escape without its pair), not text")
        out.append(obj)
    return out


def search(query: Optional[str] = typer.Argument(None, help="查询 / query"),
           queries_file: Optional[Path] = typer.Option(None, "--queries-file",
                                                       help="JSON 行：{id, query} / JSON lines"),
           as_json: bool = typer.Option(False, "--json", help="每个查询一行 JSON / JSON lines"),
           limit: int = typer.Option(10, "--limit", "-k", min=0, help="结果数 / hits per query"),
           offset: int = typer.Option(0, "--offset", min=0, help="跳过 / skip hits"),
           region: Region = None,
           org: Org = None,
           year: Year = None,
           doc_type: DocType = None,
           doc: Doc = None,
           mode: Optional[str] = typer.Option(
               None, "--mode", help="lexical | semantic | hybrid（默认：有向量时 hybrid）"
                                    " / default: hybrid when the store holds vectors"),
           ) -> None:
    """全文检索段落 / Full-text search over passages."""
    from search.backend import MAX_LIMIT, MAX_QUERY_CHARS, Query
    from search.filters import FilterError

    if (query is None) == (queries_file is None):
        fail("请给出一个查询或 --queries-file / give one QUERY or --queries-file")
    queries = (_read_queries(queries_file) if queries_file is not None
               else [{"id": query, "query": query}])
    backend = open_store()
    # region/org as on the pages: the places and offices below them are included
    filters, _ = place_filters(backend, doc_filters(region, org, year, doc_type, doc))
    try:
        for q in queries:
            text = q["query"][:MAX_QUERY_CHARS]
            try:
                result = backend.search(Query(text=text, limit=min(limit, MAX_LIMIT),
                                              offset=offset, filters=filters, mode=mode))
            except FilterError as err:
                fail(str(err))
            if as_json:
                hits = [{k: v for k, v in h.to_json().items() if k in HIT_FIELDS}
                        for h in result.hits]
                sys.stdout.write(json_line({"id": q.get("id"), "hits": hits,
                                            "understood": result.understood,
                                            "mode": result.mode,
                                            "total": result.total,
                                            "total_relation": result.total_relation,
                                            "warnings": result.warnings}) + "\n")
                sys.stdout.flush()
            else:
                _print_hits(q["query"], result)
    finally:
        backend.close()


def _print_hits(query: str, result: Any) -> None:
    from rich.console import Console
    from rich.text import Text

    from search.understand import describe

    con = Console()
    con.print(Text(f"查询 query: {query} — {result.total_text()} hits ({result.mode})", style="bold"))
    if describe(result.understood):
        con.print(Text(describe(result.understood), style="dim"))
    for warning in result.warnings:
        con.print(Text(warning, style="yellow"))
    for n, h in enumerate(result.hits, 1):
        where = f"{h.doc}" + (f" 第{h.page}页 p.{h.page}" if h.page else "")
        con.print(Text(f"{n}. {where}  score={h.score:.3f}  [{h.start}-{h.end}]", style="cyan"))
        con.print(_marked(h.text, h.highlights, con.is_terminal))
        if h.meta.get("answer"):
            a, b = h.meta["answer"]
            con.print(Text(f"   答句 answer: {h.text[a:b].strip()}", style="green"))
        if h.meta.get("more_in_doc"):
            con.print(Text(f"   本文件还有 {h.meta['more_in_doc']} 段 / more from this document",
                           style="dim"))
        con.print()


def _marked(passage: str, spans: list, terminal: bool) -> Any:
    """The passage with its matches marked: reverse video on a terminal,
    【】 brackets when piped (styles are lost there)."""
    from rich.text import Text

    text = Text()
    pos = 0
    for s, e in sorted(spans):
        if s < pos:
            continue
        text.append(passage[pos:s])
        if terminal:
            text.append(passage[s:e], style="bold reverse")
        else:
            text.append(f"【{passage[s:e]}】")
        pos = e
    text.append(passage[pos:])
    text.rstrip()
    return text


# ---- embed -------------------------------------------------------------------------

def embed(batch: int = typer.Option(32, "--batch", min=1, help="每批段落数 / passages per batch"),
          limit: Optional[int] = typer.Option(None, "--limit", min=0,
                                              help="最多嵌入段落数 / at most this many passages"),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="不显示进度 / no progress"),
          workers: int = typer.Option(1, "--workers", "-w", min=1,
                                      help="并行进程数 / embedding processes"),
          ) -> None:
    """为段落计算语义向量（可中断续跑）/ Embed passages for semantic search (resumable).

    ``--workers N`` embeds in N processes (one model and one thread each);
    this process alone writes, one transaction per batch."""
    from concurrent.futures.process import BrokenProcessPool

    from search.backend import data_dir
    from search.embed import (EmbeddingBusy, EmbeddingUnavailable, embed_store, embedding_lock,
                              load_embedder)
    from search.pool import Throughput

    backend = open_store()
    # an OpenSearch without the k-NN plugin has no vector field type (vectors False)
    if not hasattr(backend, "pending_passages") or not getattr(backend, "vectors", True):
        fail(f"{backend.name} 后端不支持向量 / the {backend.name} backend stores no vectors here"
             " (OpenSearch: install the k-NN plugin)")
    try:
        embedder = load_embedder()
    except EmbeddingUnavailable as err:
        fail(str(err))
    counts = Throughput(total=0)

    def progress(done: int, todo: int, rate: float) -> None:
        if quiet:
            return
        counts.total, counts.done = todo, done
        eta = counts.rates()[2] or 0
        sys.stderr.write(f"\r已嵌入 embedded {done}/{todo}  {rate:,.0f} 字/秒 chars/s"
                         f"  剩余 ETA {int(eta // 60)}:{int(eta % 60):02d}   ")
        sys.stderr.flush()

    try:
        try:
            with embedding_lock(data_dir() / "embed.lock"):
                n = embed_store(backend, embedder, batch=batch, limit=limit, progress=progress,
                                workers=workers)
        except EmbeddingBusy as busy:
            fail(f"另一个嵌入进程（pid {busy}）正在处理这个数据目录，它会嵌入全部段落"
                 f" / another embed run (pid {busy}) is working on this data directory and will"
                 " embed every passage; wait for it or stop it first")
        except BrokenProcessPool as err:
            fail(f"嵌入进程意外退出，已完成的批次已保存，重新运行即可继续"
                 f" / an embedding worker died ({err}); finished batches are stored, run"
                 " embed again to go on")
        from search.vectors import BINARY_FROM

        if hasattr(backend, "build_vector_index") and backend.vector_count() >= BINARY_FROM:
            backend.build_vector_index()  # a large store's binary index, now, not at a search
        if hasattr(backend, "build_impact_index"):
            backend.build_impact_index()  # a large store's common-unit lists (search.impact)
        status = backend.embedding_status()
    finally:
        backend.close()
    if not quiet:
        sys.stderr.write("\n")
    sys.stderr.write(f"本次嵌入 embedded now: {n}; 共 total {status['embedded']}/"
                     f"{status['passages']} ({status['model']})\n")


# ---- serve / stats ------------------------------------------------------------------

def serve(host: str = typer.Option("127.0.0.1", "--host", help="监听地址 / bind address"),
          port: int = typer.Option(8000, "--port", help="端口 / port"),
          reload: bool = typer.Option(False, "--reload", help="开发模式 / reload on change"),
          ) -> None:
    """启动网页和 API 服务 / Serve the web pages and the HTTP API.

    Writes (uploads) need the token in ``POLICYLENS_API_TOKEN``; without one a
    random token is made and printed with a browser log-in link."""
    import os

    import uvicorn

    from api.security import BIND_ENV, TOKEN_ENV, announce_token, new_token

    configured = os.environ.get(TOKEN_ENV, "").strip()
    os.environ[BIND_ENV] = host  # the app reads both when the first request comes
    os.environ[TOKEN_ENV] = configured or new_token()
    if configured:  # a configured secret is not echoed into logs
        sys.stderr.write(f"写入令牌 write token: {TOKEN_ENV}\n")
    else:
        announce_token(os.environ[TOKEN_ENV], host, port)
    uvicorn.run("api.app:app", host=host, port=port, reload=reload, log_level="info")


def stats(as_json: bool = typer.Option(False, "--json", help="JSON 输出 / JSON output")) -> None:
    """索引统计 / Counts of documents, passages and items in the index."""
    backend = open_store()
    try:
        s = backend.stats()
    finally:
        backend.close()
    if as_json:
        sys.stdout.write(json_line(s) + "\n")
        return
    rows = [{"项目 what": k, "数量 count": v} for k, v in s.items() if k != "items_by_type"]
    rows += [{"项目 what": f"items[{t}]", "数量 count": n}
             for t, n in (s.get("items_by_type") or {}).items()]
    emit(rows, "table", title="PolicyLens 索引 index")


def register(app: typer.Typer) -> None:
    """Add this resource's commands to the main app."""
    app.command("ingest")(ingest)
    app.command("extract")(extract)
    app.command("search")(search)
    app.command("embed")(embed)
    app.command("serve")(serve)
    app.command("stats")(stats)
