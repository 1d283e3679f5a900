#!/usr/bin/python3
"""Measures the two language identifiers Debian ships, CLD2 and libexttextcat, on real pages.

Usage: measure-language.py [--work DIR] [--sizes 2048,8192,16384,65536] [--jobs N]

Needs: libcld2-dev libexttextcat-dev libexttextcat-data python3-langdetect python3-html5lib
debian-handbook python3.11-doc, and g++.

Steps:
  1. The visible text of every page of /usr/share/doc/debian-handbook/html/<folder>/*.html and
     /usr/share/doc/python3.11/html/**/*.html, as the word counter sees it: every text node,
     <title> included, except inside script, style, template and noscript; pieces joined by
     spaces, white space collapsed. Written to DIR/text/, one file a page.
  2. The truth: a page's language is known when the language its folder promises (English for
     the Python manual) is also what a second opinion finds on each of three 10,000-character
     stretches of the page (its start, middle and end). The handbook's folders hold many
     untranslated or half-translated pages, which this leaves out. The second opinion is
     langdetect (seeded), except in the Chinese, Japanese and Korean folders, where langdetect
     calls nearly every page with some Latin commands in it English; there the second opinion
     is the script: the folder's script holds at least two thirds of the stretch's letter
     bytes (Han without kana for zh, kana being at least a tenth of the Han and kana for ja,
     Hangul for ko).
  3. bench/language/measure_language.cpp, built with g++ against libcld2 (the 83-language
     tables the kernel links), libcld2_full (160+ languages) and libexttextcat, reads the first
     N bytes of each known page (cut back to a whole UTF-8 character) for each N in --sizes and
     prints each engine's answer and the time it took (one thread).
  4. Tables: agreement with the truth, overall and per language, by sample size; MB/s.
  5. The kernel's own detector (shared/kernel/src/language_detector.cpp, built here with g++
     by bench/language/detector_check.cpp) on the same pages at its sample size: what the
     kernel reports after its code mapping and share threshold.
"""

import argparse
import collections
import concurrent.futures
import os
import pathlib
import re
import subprocess
import sys

HANDBOOK = pathlib.Path("/usr/share/doc/debian-handbook/html")
PYTHON_DOC = pathlib.Path("/usr/share/doc/python3.11/html")
REPO = pathlib.Path(__file__).resolve().parent.parent
BENCH_SOURCE = REPO / "bench/language/measure_language.cpp"
CHECK_SOURCES = [REPO / "bench/language/detector_check.cpp",
                 REPO / "shared/kernel/src/language_detector.cpp"]
SKIPPED = {"script", "style", "template", "noscript"}
STRETCH = 10000

# What langdetect and the engines say, brought to one code per language.
ALIASES = {"no": "nb", "zh-cn": "zh", "zh-tw": "zh", "zh-hant": "zh", "zh-hans": "zh",
           "iw": "he", "in": "id", "jw": "jv"}


def normalize(code):
    code = code.lower()
    if code in ALIASES:
        return ALIASES[code]
    return ALIASES.get(code.split("-")[0], code.split("-")[0])


def visible_text(path):
    import html5lib  # pylint: disable=import-outside-toplevel
    with open(path, "rb") as handle:
        tree = html5lib.parse(handle.read(), treebuilder="etree", namespaceHTMLElements=False)
    pieces = []

    def walk(element):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in SKIPPED:
            if element.tail:
                pieces.append(element.tail)
            return
        if isinstance(element.tag, str) and element.text:
            pieces.append(element.text)
        for child in element:
            walk(child)
        if element.tail:
            pieces.append(element.tail)

    walk(tree)
    return re.sub(r"\s+", " ", " ".join(pieces)).strip()


def stretches(text):
    if len(text) <= STRETCH:
        return [text]
    middle = (len(text) - STRETCH) // 2
    return [text[:STRETCH], text[middle:middle + STRETCH], text[-STRETCH:]]


def is_kana(cp):
    return 0x3040 <= cp <= 0x30FF or 0x31F0 <= cp <= 0x31FF or 0xFF66 <= cp <= 0xFF9F


def is_han(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x2FFFF)


def is_hangul(cp):
    return 0xAC00 <= cp <= 0xD7AF or 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F


def script_verdict(stretch, promised):
    """The promised CJK language if its script makes up two thirds of the letter bytes."""
    letters = han = kana = hangul = 0
    for char in stretch:
        if not char.isalpha():
            continue
        cp = ord(char)
        size = len(char.encode("utf-8"))
        letters += size
        han += size if is_han(cp) else 0
        kana += size if is_kana(cp) else 0
        hangul += size if is_hangul(cp) else 0
    if letters == 0:
        return "?"
    if promised == "ko":
        return "ko" if hangul * 3 >= letters * 2 else "?"
    if (han + kana) * 3 < letters * 2:
        return "?"
    if promised == "ja":
        return "ja" if kana * 10 >= han + kana else "?"
    return "zh" if kana * 100 < han + kana else "?"


def is_known(row):
    promised = row["promised"]
    if promised in ("zh", "ja", "ko"):
        text = pathlib.Path(row["text"]).read_text(encoding="utf-8")
        verdicts = [script_verdict(s, promised) for s in stretches(text)] if text else ["?"]
    else:
        verdicts = row["langdetect"].split(",")
    return all(v == promised for v in verdicts)


def second_opinion(text):
    import langdetect  # pylint: disable=import-outside-toplevel
    langdetect.DetectorFactory.seed = 0
    verdicts = []
    for stretch in stretches(text):
        try:
            verdicts.append(normalize(langdetect.detect(stretch)))
        except langdetect.lang_detect_exception.LangDetectException:
            verdicts.append("?")
    return verdicts


def pages():
    for folder in sorted(HANDBOOK.iterdir()):
        if folder.is_dir():
            for page in sorted(folder.glob("*.html")):
                yield page, normalize(folder.name), "handbook"
    for page in sorted(PYTHON_DOC.rglob("*.html")):
        yield page, "en", "python"


def prepare(job):
    index, page, promised, source, text_dir = job
    text = visible_text(page)
    out = pathlib.Path(text_dir) / f"{index:05d}.txt"
    out.write_text(text, encoding="utf-8")
    verdicts = second_opinion(text) if text else ["?"]
    known = all(v == promised for v in verdicts)
    return index, str(page), str(out), promised, source, ",".join(verdicts), known, len(
        text.encode("utf-8"))


def build_corpus(work, jobs):
    manifest = work / "manifest.tsv"
    if manifest.exists():
        return manifest
    text_dir = work / "text"
    text_dir.mkdir(parents=True, exist_ok=True)
    work_list = [(i, p, lang, src, str(text_dir)) for i, (p, lang, src) in enumerate(pages())]
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        rows = sorted(pool.map(prepare, work_list, chunksize=8))
    with open(manifest, "w", encoding="utf-8") as out:
        # "known" is langdetect's agreement alone; the truth is is_known().
        out.write("index\tpage\ttext\tpromised\tsource\tlangdetect\tknown\tbytes\n")
        for row in rows:
            out.write("\t".join(str(field) for field in row) + "\n")
    return manifest


def read_manifest(manifest):
    with open(manifest, encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        rows = [dict(zip(header, line.rstrip("\n").split("\t"))) for line in handle]
    for row in rows:
        row["known"] = str(is_known(row))
    return rows


def build_tools(work):
    flags = ["g++", "-std=c++20", "-O2", "-DNDEBUG", str(BENCH_SOURCE)]
    tools = {}
    # libcld2_full holds only the larger tables: linked ahead of libcld2, its tables take the
    # place of the built-in ones.
    libraries = (("cld2", ["-lcld2"]),
                 ("cld2_full", ["-Wl,--no-as-needed", "-lcld2_full", "-lcld2"]))
    for name, cld2 in libraries:
        binary = work / f"measure_language_{name}"
        subprocess.run(flags + [f'-DCLD2_NAME="{name}"', "-o", str(binary)] + cld2
                       + ["-lexttextcat-2.0"], check=True)
        tools[name] = binary
    check = work / "detector_check"
    subprocess.run(["g++", "-std=c++20", "-O3", "-DNDEBUG",
                    f"-I{REPO / 'shared/kernel/include'}", f"-I{REPO / 'shared/text/include'}"]
                   + [str(source) for source in CHECK_SOURCES] + ["-o", str(check), "-lcld2"],
                   check=True)
    tools["check"] = check
    return tools


def check_detector(work, tools):
    output = subprocess.run([str(tools["check"]), str(work / "known.tsv")], check=True,
                            capture_output=True, text=True).stdout
    rows = [line.split("\t") for line in output.splitlines()]
    right = sum(main == truth for _, truth, main, _, _, _, _ in rows)
    seconds = sum(int(r[5]) for r in rows) / 1e9
    used = sum(int(r[6]) for r in rows)
    several = sum("," in r[3] for r in rows)
    stray = sum(any(normalize(part.split(":")[0]) not in (r[1], "en")
                    for part in r[3].split(",")[1:]) for r in rows)
    print("\n## The kernel's language_detector (sample_bytes, after mapping and threshold)\n")
    print(f"- main language right: {right} of {len(rows)} ({100.0 * right / len(rows):.2f}%)")
    print(f"- speed: {used / 1e6 / seconds:.1f} MB/s, {1e3 * seconds / len(rows):.3f} ms/page")
    print(f"- pages listing several languages: {several}; listing a second language other than "
          f"the page's own and English: {stray}")


def run_tools(work, tools, known, sizes):
    listing = work / "known.tsv"
    with open(listing, "w", encoding="utf-8") as out:
        for row in known:
            out.write(f"{row['text']}\t{row['promised']}\n")
    results = []
    sizes_arg = ",".join(str(s) for s in sizes)
    runs = ((tools["cld2"], ["cld2", "exttextcat"]), (tools["cld2_full"], ["cld2"]))
    for binary, engines in runs:
        for engine in engines:
            output = subprocess.run([str(binary), engine, sizes_arg, str(listing)], check=True,
                                    capture_output=True, text=True).stdout
            for line in output.splitlines():
                name, size, text, truth, answer, reliable, nanos, used = line.split("\t")
                results.append({"engine": name, "size": int(size), "text": text,
                                "truth": truth, "answer": answer, "reliable": reliable == "1",
                                "nanos": int(nanos), "bytes": int(used)})
    return results


def main_code(answer):
    if not answer:
        return ""
    return normalize(answer.split(",")[0].split(":")[0])


def listed_codes(answer):
    """The main language and every other one with a share of at least 10%."""
    listed = set()
    for position, part in enumerate(p for p in answer.split(",") if p):
        code, _, percent = part.partition(":")
        if position == 0 or not percent or int(percent) >= 10:
            listed.add(normalize(code))
    return listed


def codes(answer):
    return {normalize(part.split(":")[0]) for part in answer.split(",") if part}


def report(rows, known, results, sizes):
    by_source = collections.Counter((r["source"], r["known"] == "True") for r in rows)
    print("## Corpus\n")
    print(f"pages: {len(rows)}; known: {len(known)} "
          f"(handbook {by_source[('handbook', True)]} of "
          f"{by_source[('handbook', True)] + by_source[('handbook', False)]}, "
          f"python {by_source[('python', True)]} of "
          f"{by_source[('python', True)] + by_source[('python', False)]})")
    known_bytes = sum(int(r["bytes"]) for r in known)
    print(f"visible text of the known pages: {known_bytes / 1e6:.1f} MB\n")
    engines = sorted({r["engine"] for r in results})
    print("## Agreement with the known language (main language), by sample size\n")
    print("| engine | " + " | ".join(f"{s // 1024} KB" for s in sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    for engine in engines:
        cells = []
        for size in sizes:
            subset = [r for r in results if r["engine"] == engine and r["size"] == size]
            right = sum(main_code(r["answer"]) == r["truth"] for r in subset)
            cells.append(f"{100.0 * right / len(subset):.2f}% ({len(subset) - right} wrong)")
        print(f"| {engine} | " + " | ".join(cells) + " |")
    print("\n## The known language among the listed ones (CLD2: main or at least 10%; "
          "exttextcat: any candidate)\n")
    print("| engine | " + " | ".join(f"{s // 1024} KB" for s in sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    for engine in engines:
        cells = []
        for size in sizes:
            subset = [r for r in results if r["engine"] == engine and r["size"] == size]
            listed = sum(r["truth"] in listed_codes(r["answer"]) for r in subset)
            cells.append(f"{100.0 * listed / len(subset):.2f}% ({listed}/{len(subset)})")
        print(f"| {engine} | " + " | ".join(cells) + " |")
    print("\n## Speed, one thread (MB of sample text per second)\n")
    print("| engine | " + " | ".join(f"{s // 1024} KB" for s in sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    for engine in engines:
        cells = []
        for size in sizes:
            subset = [r for r in results if r["engine"] == engine and r["size"] == size]
            seconds = sum(r["nanos"] for r in subset) / 1e9
            used = sum(r["bytes"] for r in subset)
            per_page = 1e3 * seconds / len(subset)
            cells.append(f"{used / 1e6 / seconds:.1f} MB/s, {per_page:.3f} ms/page")
        print(f"| {engine} | " + " | ".join(cells) + " |")
    for size in sizes:
        print(f"\n## Per language at {size // 1024} KB (right / pages)\n")
        languages = sorted({r["promised"] for r in known})
        print("| language | pages | " + " | ".join(engines) + " |")
        print("|---|---|" + "---|" * len(engines))
        for language in languages:
            cells = []
            count = 0
            for engine in engines:
                subset = [r for r in results if r["engine"] == engine and r["size"] == size
                          and r["truth"] == language]
                count = len(subset)
                right = sum(main_code(r["answer"]) == r["truth"] for r in subset)
                wrong = collections.Counter(main_code(r["answer"]) or "unknown" for r in subset
                                            if main_code(r["answer"]) != r["truth"])
                detail = ", ".join(f"{c}:{n}" for c, n in wrong.most_common(3))
                cells.append(f"{right}" + (f" ({detail})" if detail else ""))
            print(f"| {language} | {count} | " + " | ".join(cells) + " |")
    print("\n## CLD2 secondary languages: shares of the second and third language\n")
    buckets = ((0, 5), (5, 10), (10, 20), (20, 30), (30, 101))
    print("| engine, size | " + " | ".join(f"{a}-{b - 1}%" for a, b in buckets)
          + " | most common at 10% or more |")
    print("|---|" + "---|" * (len(buckets) + 1))
    for engine in engines:
        if not engine.startswith("cld2"):
            continue
        for size in sizes:
            counts = collections.Counter()
            common = collections.Counter()
            for r in results:
                if r["engine"] != engine or r["size"] != size:
                    continue
                for part in r["answer"].split(",")[1:]:
                    code, percent = part.split(":")
                    percent = int(percent)
                    for a, b in buckets:
                        if a <= percent < b:
                            counts[(a, b)] += 1
                    if percent >= 10:
                        common[f"{r['truth']}+{normalize(code)}"] += 1
            top = ", ".join(f"{c} {n}" for c, n in common.most_common(6))
            print(f"| {engine} {size // 1024} KB | "
                  + " | ".join(str(counts[b]) for b in buckets) + f" | {top} |")
    print("\n## CLD2 answers listing more than one language\n")
    for engine in engines:
        if not engine.startswith("cld2"):
            continue
        for size in sizes:
            subset = [r for r in results if r["engine"] == engine and r["size"] == size]
            multi = [r for r in subset if len(codes(r["answer"])) > 1]
            unreliable = sum(not r["reliable"] for r in subset)
            print(f"- {engine} {size // 1024} KB: {len(multi)} of {len(subset)} list several "
                  f"languages; {unreliable} flagged unreliable")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", default=str(REPO / "build/language-corpus"))
    parser.add_argument("--sizes", default="2048,8192,16384,65536")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    work = pathlib.Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    manifest = build_corpus(work, args.jobs)
    rows = read_manifest(manifest)
    known = [r for r in rows if r["known"] == "True"]
    tools = build_tools(work)
    results = run_tools(work, tools, known, sizes)
    with open(work / "results.tsv", "w", encoding="utf-8") as out:
        for r in results:
            out.write("\t".join(str(r[k]) for k in ("engine", "size", "text", "truth", "answer",
                                                      "reliable", "nanos", "bytes")) + "\n")
    report(rows, known, results, sizes)
    check_detector(work, tools)
    return 0


if __name__ == "__main__":
    sys.exit(main())
