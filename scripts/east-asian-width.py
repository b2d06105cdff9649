"""Prints the tables of src/east-asian-width.ts, from Python's unicodedata (run it with Python 3.11: Unicode 14.0.0,
the database of the Python the AWS CLI runs on): `python3 scripts/east-asian-width.py`.

Each table is the [first, last] bounds of every run of code points it holds, as hex deltas from the previous bound.
"""
import unicodedata


def table(name, doc, holds):
    bounds, start = [], None
    for cp in range(0x110001):
        hit = cp <= 0x10FFFF and holds(chr(cp))
        if hit and start is None:
            start = cp
        elif not hit and start is not None:
            bounds += [start, cp - 1]
            start = None
    deltas = [format(b - a, "x") for a, b in zip([0] + bounds, bounds)]
    lines, line = [], ""
    for d in deltas:
        if len(line) + len(d) + 1 > 100:
            lines.append(line)
            line = ""
        line += d + ","
    lines.append(line[:-1])
    return f"/** {doc} */\nconst {name} =\n" + " +\n".join(f'  "{l}"' for l in lines) + ";\n"


assert unicodedata.unidata_version == "14.0.0", unicodedata.unidata_version
# The AWS CLI's test, `east_asian_width(c) in "WFA"`, verbatim. Python 3.11 answers "F" for unassigned code points.
print(table("CLI_WIDE", "What the AWS CLI counts as 2 columns: classes W, F and A, unassigned code points included.",
            lambda c: unicodedata.east_asian_width(c) in "WFA"))
print(table("WIDE", "Assigned code points of classes W and F.",
            lambda c: unicodedata.east_asian_width(c) in ("W", "F") and unicodedata.category(c) != "Cn"), end="")
