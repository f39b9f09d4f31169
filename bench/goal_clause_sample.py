"""Draw the clause windows of corpora/goals/clause_labels.jsonl for labelling (seeded; run once, before tuning).

PDFs are read from the pickles of nlp.goal_model.load_document's cache (POLICYLENS_DATA_DIR/goal_model_docs).
"""
import json, random, re, pickle, sys, pathlib
sys.path.insert(0, '.')
from nlp.goal_clauses import clauses
B = pathlib.Path('/work/shared/bench-corpus')
R = B / 'real'
docs = []
nat = [1979, 1983, 1988, 1993, 1997, 2001, 2004, 2008, 2010, 2012, 2014, 2016]
for y in nat:
    f = next(B.glob(f'gwr_national_{y}_*.txt'))
    docs.append((f, 'national work report'))
for p in ['anhui','fujian','hebei','henan','hunan','jiangxi','liaoning','ningxia','shaanxi','zhejiang']:
    docs.append((B / f'gwr2026_{p}.txt', 'provincial work report'))
for m in ['mof_t20081211_97376.txt','mof_t20120713_666240.txt','mof_t20161114_2457343.txt','mof_t20201021_3608237.txt','mof_t20241025_3946291.txt']:
    docs.append((B / m, 'fiscal report/news'))
for l in ['law_beijing_budget_supervision_2007.md','law_hangzhou_performance_management_2015.md','law_henan_budget_review_supervision_2019.md','law_jinan_performance_management_2018.md','law_national_fiscal_violations_penalties_2011.md']:
    docs.append((B / l, 'law'))
for p in ['budget2024_shanghai_putuo_wanli_subdistrict_dept.pdf','budget2025_shanghai_putuo_commerce_commission_unit.pdf','budget2026_shanghai_putuo_justice_bureau_dept.pdf','budget2019_jiangsu_npcsc_office_dept.pdf','budget2018_jiangsu_high_court_dept.pdf','budget2025_shanghai_putuo_district_govt_office_dept.pdf']:
    docs.append((R / p, 'department budget'))
for p in ['final2024_shanghai_putuo_party_social_work_dept.pdf','template2024_shanghai_dept_final_accounts_sample.pdf','govinfo2024_jiangsu_huaian_city_govt_annual_report.pdf']:
    docs.append((R / p, 'final accounts/self-evaluation/annual report'))
ANCHOR = re.compile(r'主要预期目标|今年|明年|绩效目标|下一步|目标|工作安排|总体要求|力争')
rng = random.Random(11)
out = []
for path, kind in docs:
    if path.suffix == '.pdf':
        pk = pathlib.Path('/tmp/pl-goals/goal_model_docs') / (path.name + '.pkl')
        if not pk.exists():
            print('not cached', path.name, file=sys.stderr); continue
        text = pickle.loads(pk.read_bytes()).text; wrapped = True
    else:
        from ingest.readers import read
        text = read(path).text; wrapped = False
    cl = clauses(text, wrapped)
    n = len(cl)
    if n < 40:
        picks = list(range(n))
    else:
        anchors = [i for i, (s, e, k) in enumerate(cl) if ANCHOR.search(text[s:e])]
        w = 20
        a = rng.choice(anchors) if anchors and 'law' not in kind else rng.randrange(n - w)
        a = max(0, min(a - 3, n - w))
        b = rng.randrange(n - w)
        while abs(b - a) < w:
            b = rng.randrange(n - w)
        picks = sorted(set(range(a, a + w)) | set(range(b, b + w)))
    for i in picks:
        s, e, k = cl[i]
        out.append({"doc": path.name, "kind": kind, "i": i, "sent": k, "start": s, "end": e, "text": text[s:e]})
with open('/tmp/clause_todo.jsonl', 'w') as f:
    for r in out:
        f.write(json.dumps(r, ensure_ascii=False) + '\n')
print(len(out), len({r['doc'] for r in out}))
