"""Where the time outside the timed stages goes, in one process: imports, the audit stages,
rechtmatigheid.bereken, findings.csv, building the privacy guard, guarding findings.csv, the
report model.  Usage: PYTHONPATH=. python benchmarks/schrijven.py BATCH_DIR  (docs/performance.md)."""

import time, sys
from datetime import date
from pathlib import Path
t0=time.perf_counter()
from auditor.pipeline import audit
from auditor import rechtmatigheid as rm
from auditor.files import csv_bytes
from auditor.findings import findings_table
from auditor.reports import model
import auditor.write as w
t1=time.perf_counter(); print("imports", round(t1-t0,2))
a=audit(sys.argv[1], peildatum=date(2025,12,31))
t2=time.perf_counter(); print("audit", round(t2-t1,2), {k: round(v,2) for k,v in a.stages.items() if not k.startswith("controle ")})
r=rm.bereken(a); t3=time.perf_counter(); print("rechtmatigheid", round(t3-t2,2))
b=csv_bytes(findings_table(a.result.findings, None)); t4=time.perf_counter(); print("findings.csv", round(t4-t3,2))
g=w.bewaker(a); t5=time.perf_counter(); print("bewaker build", round(t5-t4,2))
x=g.bestand(Path("f.csv"), b); t6=time.perf_counter(); print("guard findings.csv", round(t6-t5,2), len(b))
m=model.bouw(a); t7=time.perf_counter(); print("model", round(t7-t6,2))
