"""Score the importer against the corpus of real documents (tests/corpus): `make corpus`.

Each document in tests/corpus/manifest.toml is parsed as a user would import it; its items (the
measures the plan tracks), their units with roles, and their deadlines are compared with the ground
truth written by reading the document (tests/corpus/truth/<file>). Prints recall and precision per
field and per document, the refused documents and the brackets or deadline phrases the parse report
does not account for.

    .venv/bin/python scripts/corpus.py [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.corpus.scoring import score_corpus  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args()
    scores = score_corpus(ROOT / "tests" / "corpus")
    if args.json:
        print(json.dumps(scores.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(scores.table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
