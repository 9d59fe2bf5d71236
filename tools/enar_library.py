"""Assemble enaR's model library as test fixtures (tests/data/enar/), with enaR's own values.

A development tool, not part of the package: it needs the PyPI package ``rdata`` (a reader
of R data files) and, for the reference values, R with enaR installed.

Steps (see ``--help``)::

    # 1. the enaR sources (github SEELab/enaR), e.g. an unpacked ``git archive``
    # 2. enaR's values for every model: runs the R script below (one JSON per model and part)
    python tools/enar_library.py refs --out /tmp/enar_refs            # enaFlow, enaStructure,
    python tools/enar_library.py refs --out /tmp/enar_refs --part cycle  # ..., enaCycle
    # 3. one fixture per model: data from enaR's data/enaModels.rda, values from step 2
    python tools/enar_library.py build --rda ENAR/data/enaModels.rda --refs /tmp/enar_refs \\
        --info ENAR/data/enaModelInfo.rda --out tests/data/enar

Fixture format (``NNN_slug.json``, gzipped when large): ``nodes``, ``living``, ``flows`` as
``[source, target, value]`` triples in row-major order (0-based; self-flows on the
diagonal), ``inputs`` z, ``exports`` e, ``respirations`` r, ``outputs`` y (enaR's
``output`` attribute, = e + r), and ``enar``: what enaR printed (``enaFlow``'s ``ns``,
``enaStructure``, ``enaAscendency``, ``enaUtility(type="flow")``, ``enaCycle``, the four
``balance()`` methods) with the R and package versions. Missing exports or respirations
(NA in enaR) are 0, as enaR's ``unpack`` and ``as.extended`` make them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import re
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

# Fixtures above this many bytes are written gzipped.
GZIP_ABOVE = 16_000
# The balanced flow matrices are kept for the models that enaR reports unbalanced (where
# balance() changes them); for the others the balanced boundary vectors are enough.
R_SCRIPT = r"""
# Reference values printed by enaR for every model of its library (one JSON per model).
# Usage: Rscript enar_refs.R OUT_DIR PART [FIRST LAST]   PART = fast | cycle
suppressMessages({library(network); library(enaR); library(jsonlite)})
data(enaModels)
args <- commandArgs(TRUE)
out_dir <- args[1]; part <- args[2]
idx <- if (length(args) >= 4) as.integer(args[3]):as.integer(args[4]) else seq_along(enaModels)
cycle_limit <- as.numeric(Sys.getenv("CYCLE_LIMIT", "60"))
versions <- list(R = R.version.string, enaR = as.character(packageVersion("enaR")),
                 network = as.character(packageVersion("network")),
                 MASS = as.character(packageVersion("MASS")),
                 sna = as.character(packageVersion("sna")))
row1 <- function(m) {
  v <- as.list(m[1, ])
  lapply(v, function(a) if (is.finite(a)) a else as.character(a))
}
# enaR:::bal with its row sums computed once instead of once per matrix entry (the same
# arithmetic; enaR's own loop costs minutes per call at 80 nodes).
bal_hoisted <- function(T.star, method) {
  if (method == "output") T.star <- t(T.star)
  N <- nrow(T.star) - 3
  rs <- apply(T.star, 1, sum)
  F.star <- T.star
  for (i in 1:N) for (j in 1:(N + 3)) F.star[i, j] <- if (rs[i] == 0) 0 else T.star[i, j] / rs[i]
  R <- MASS::ginv(t(F.star[1:N, 1:N]) - diag(rep(1, N)))
  for (i in 1:nrow(R)) for (j in 1:nrow(R))
    R[i, j] <- -(R[i, j] * (T.star[N + 1, j] + T.star[N + 2, j] + T.star[N + 3, j]))
  U <- apply(R, 1, sum)
  T.star.bal <- T.star
  for (i in 1:N) for (j in 1:(N + 3)) T.star.bal[i, j] <- F.star[i, j] * U[i]
  if (method == "output") T.star.bal <- t(T.star.bal)
  T.star.bal
}
balance_max_n <- as.numeric(Sys.getenv("BALANCE_MAX_N", "60"))
composite <- function(eT, method) {
  I <- function(m) bal_hoisted(m, "input"); O <- function(m) bal_hoisted(m, "output")
  switch(method,
         AVG = 0.5 * (I(eT) + O(eT)),
         AVG2 = 0.5 * (I(0.5 * O(eT) + 0.5 * eT) + O(0.5 * I(eT) + 0.5 * eT)),
         IO = O(0.5 * I(eT) + 0.5 * eT),
         OI = I(0.5 * O(eT) + 0.5 * eT))
}
fast <- function(x) {
  res <- list()
  ss <- ssCheck(x, more = TRUE)
  res$ssCheck <- list(balanced = ss$ss, Tin = unname(ss$Tin), Tout = unname(ss$Tout))
  fl <- suppressWarnings(enaFlow(x))
  res$enaFlow <- row1(fl$ns); res$enaFlow_T <- unname(fl$T)
  res$enaStructure <- row1(enaStructure(x)$ns)
  res$enaAscendency <- row1(enaAscendency(x))
  ut <- tryCatch(suppressWarnings(enaUtility(x, type = "flow")), error = function(e) NULL)
  res$enaUtility_flow <- if (is.null(ut)) "error" else row1(ut$ns)
  n <- network.size(x); flow <- as.matrix(x, attrname = "flow")
  pos <- which(t(flow) > 0, arr.ind = TRUE)  # row-major order of (source, target)
  pos <- pos[order(pos[, 2], pos[, 1]), , drop = FALSE]
  eT <- as.extended(x)
  bal <- list()
  for (m in c("AVG", "AVG2", "IO", "OI")) {
    T.bal <- composite(eT, m)
    f <- T.bal[1:n, 1:n]
    b <- list(input = unname(T.bal[n + 3, 1:n]), export = unname(T.bal[1:n, n + 1]),
              respiration = unname(T.bal[1:n, n + 2]),
              flows = unname(f[cbind(pos[, 2], pos[, 1])]),
              positive_elsewhere = sum(f > 0) - nrow(pos))
    if (ssCheck(x) || n > balance_max_n) {  # balance() returns a balanced model unchanged
      b$balance_run <- FALSE; bal[[m]] <- b; next
    }
    b$balance_run <- TRUE
    xb <- suppressWarnings({ capture.output(y <- balance(x, method = m)); y })
    fb <- as.matrix(xb, attrname = "flow")
    b$balance_returned_unchanged <- isTRUE(all.equal(fb, flow, tolerance = 0)) &&
      isTRUE(all.equal(xb %v% "input", x %v% "input", tolerance = 0))
    b$balance_ssCheck <- ssCheck(xb)
    b$balance_max_abs_diff_vs_composite <- max(abs(fb - f))
    bal[[m]] <- b
  }
  res$balance_composite <- bal
  res
}
cycle <- function(x) {
  setTimeLimit(elapsed = cycle_limit, transient = TRUE)
  on.exit(setTimeLimit(elapsed = Inf))
  t0 <- proc.time()[["elapsed"]]
  cy <- tryCatch(enaCycle(x), error = function(e) conditionMessage(e))
  if (is.character(cy)) return(list(enaCycle = paste("not computed:", cy), limit_s = cycle_limit))
  out <- list(enaCycle = row1(cy$ns), seconds = proc.time()[["elapsed"]] - t0)
  if (!is.null(cy$CycleDist)) {
    out$CycleDist <- unname(cy$CycleDist); out$NormDist <- unname(cy$NormDist)
  }
  out
}
for (k in idx) {
  x <- enaModels[[k]]
  res <- list(index = k, name = names(enaModels)[k], versions = versions)
  res <- c(res, if (part == "fast") fast(x) else cycle(x))
  write(toJSON(res, auto_unbox = TRUE, digits = NA, null = "null", na = "string"),
        file.path(out_dir, sprintf("%03d_%s.json", k, part)))
  cat(k, part, "done\n")
}
"""


def run_refs(out: Path, part: str, first: int | None, last: int | None) -> None:
    """Run the R script (enaR must be installed) for models ``first..last`` (1-based)."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".R", delete=False) as handle:
        handle.write(R_SCRIPT)
    command = ["Rscript", handle.name, str(out), part]
    if first is not None:
        command += [str(first), str(last if last is not None else first)]
    subprocess.run(command, check=True)


def _scalar(value):
    """One R attribute value (a length-1 vector or masked NA) as a Python scalar."""
    if value is None or getattr(value, "mask", False) is True:
        return None
    if hasattr(value, "mask") and bool(value.mask.any()):
        return None
    item = value[0] if hasattr(value, "__len__") and not isinstance(value, str) else value
    return item.item() if hasattr(item, "item") else item


def _number(value) -> float:
    """enaR's NA export or respiration is 0 (``unpack``, ``as.extended``)."""
    value = _scalar(value)
    return 0.0 if value is None or (isinstance(value, float) and math.isnan(value)) else value


def read_models(rda: Path) -> dict[str, dict]:
    """The network objects of an enaR ``.rda`` file as plain data, in file order."""
    import rdata  # dev-time dependency: pip install rdata

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no Python class for R's "network": raw lists
        parsed = rdata.parser.parse_file(rda)
        converted = rdata.conversion.convert(parsed)
    (models,) = converted.values()
    return {str(name): _model(net) for name, net in models.items()}


def _model(net: dict) -> dict:
    vertices = net["val"]
    n = len(vertices)
    flows: dict[tuple[int, int], float] = {}
    for edge in net["mel"]:
        if edge is None or _scalar(edge["atl"].get("na")):
            continue  # a deleted edge
        key = (int(edge["outl"][0]) - 1, int(edge["inl"][0]) - 1)  # tail -> head
        flows[key] = flows.get(key, 0.0) + float(_scalar(edge["atl"]["flow"]))
    column = {name: [_scalar(v.get(name)) for v in vertices] for name in vertices[0]}
    return {
        "n": n,
        "nodes": [str(v) for v in column["vertex.names"]],
        "living": [bool(v) for v in column["living"]],
        "flows": [[i, j, v] for (i, j), v in sorted(flows.items()) if v != 0],
        "inputs": [_number(v) for v in column["input"]],
        "exports": [_number(v) for v in column.get("export", [None] * n)],
        "respirations": [_number(v) for v in column.get("respiration", [None] * n)],
        "outputs": [_number(v) for v in column["output"]],
    }


def read_info(rda: Path) -> list[dict]:
    """enaModelInfo rows (units, reference, type) in the library's order."""
    import rdata

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (info,) = rdata.conversion.convert(rdata.parser.parse_file(rda)).values()
    clean = lambda s: re.sub(r"^[' ]+|[' ]+$", "", str(s))  # noqa: E731 (quoted in enaR)
    return [
        {"units": clean(u), "reference": clean(r), "type": clean(t)}
        for u, r, t in zip(info["Units"], info["reference"], info["type"], strict=True)
    ]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _references(refs: Path, index: int, model: dict) -> dict:
    """enaR's values for one model, from the R script's JSON files."""
    enar: dict = {}
    for part in ("fast", "cycle"):
        path = refs / f"{index:03d}_{part}.json"
        if path.exists():
            enar.update(json.loads(path.read_text()))
    for key in ("index", "name"):
        enar.pop(key, None)
    balanced = enar.get("ssCheck", {}).get("balanced", True)
    for method in enar.get("balance_composite", {}).values():
        if balanced:  # balance() returns these unchanged: keep the boundary vectors only
            method.pop("flows", None)
    if enar.get("ssCheck"):
        enar["ssCheck"].pop("Tin", None)  # = enaFlow's T
        enar["ssCheck"].pop("Tout", None)
    return enar


def build(rda: Path, info: Path | None, refs: Path, out: Path) -> None:
    models = read_models(rda)
    rows = read_info(info) if info else [{}] * len(models)
    out.mkdir(parents=True, exist_ok=True)
    for index, ((name, model), row) in enumerate(zip(models.items(), rows, strict=True), 1):
        fixture = {"index": index, "name": name.strip(), **row, **model}
        fixture["enar"] = _references(refs, index, model)
        text = json.dumps(fixture, separators=(",", ":"))
        stem = out / f"{index:03d}_{_slug(name)}.json"
        if len(text) > GZIP_ABOVE:
            with gzip.open(stem.with_suffix(".json.gz"), "wt", compresslevel=9) as handle:
                handle.write(text)
        else:
            stem.write_text(text + "\n")
    print(f"{len(models)} models written to {out}", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    refs = commands.add_parser("refs", help="run enaR on every model (needs R + enaR)")
    refs.add_argument("--out", type=Path, required=True)
    refs.add_argument("--part", choices=("fast", "cycle"), default="fast")
    refs.add_argument("--first", type=int)
    refs.add_argument("--last", type=int)
    fixtures = commands.add_parser("build", help="write the fixtures")
    fixtures.add_argument("--rda", type=Path, required=True, help="enaR's data/enaModels.rda")
    fixtures.add_argument("--info", type=Path, help="enaR's data/enaModelInfo.rda")
    fixtures.add_argument("--refs", type=Path, required=True, help="output of 'refs'")
    fixtures.add_argument("--out", type=Path, default=Path("tests/data/enar"))
    args = parser.parse_args(argv)
    if args.command == "refs":
        run_refs(args.out, args.part, args.first, args.last)
    else:
        build(args.rda, args.info, args.refs, args.out)


if __name__ == "__main__":
    main()
