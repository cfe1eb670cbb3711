"""The accountant's statistics, as jfa (R, koenderks/jfa) does them.

| module | jfa | what |
|---|---|---|
| `bounds.py` | `.comp_ub_freq`, `.qhyper`, `.stringer` | upper bounds: Poisson, binomial, hypergeometric, Stringer |
| `plan.py` | `planning()` | the sample size for a materiality and confidence |
| `trek.py` | `selection()` | fixed-interval, cell and random selection, in euros or records |
| `evalueer.py` | `evaluation()` | taints, most likely error, upper error limit, conclusion |
| `analyse.py` | `digit_test()`, `repeated_test()` | data analytics beside the checks |
| `materieel.py` | (BADO D) | sample of budgethouders, vragenlijsten, answers import |

Domain code only (no click); `auditor/cli/steekproef.py` is the command line. See
docs/steekproef.md (Dutch, for users) for the methods and a worked example.
"""
