"""Second batch of corpora/goals/clause_labels.jsonl (rows 1624-2303): one anchored window of 20 clauses per
new document, seed 1111, labelled after the section rules without looking at any prediction."""
import json, random, re, pickle, sys, pathlib
sys.path.insert(0, '/work/wt/goals')
from nlp.goal_clauses import clauses
B = pathlib.Path('/work/shared/bench-corpus'); R = B / 'real'
docs = []
for y in [1956, 1980, 1985, 1990, 1995, 1999, 2003, 2006, 2009, 2011, 2013]:
    docs.append((next(B.glob(f'gwr_national_{y}_*.txt')), 'national work report'))
for p in ['chongqing','guangxi','hainan','heilongjiang','hubei','jiangsu','jilin','neimenggu','qinghai','shandong','shanxi','tianjin','xinjiang','yunnan']:
    docs.append((B / f'gwr2026_{p}.txt', 'provincial work report'))
for p in ['budget2017_jiangsu_high_court_dept.pdf','budget2017_jiangsu_npcsc_office_dept.pdf','budget2019_jiangsu_procuratorate_dept.pdf','budget2018_jiangsu_cppcc_office_dept.pdf','budget2019_jiangsu_party_committee_office_dept.pdf','budget2025_shanghai_putuo_district_govt_office_unit.pdf','budget2017_jiangsu_procuratorate_dept.pdf']:
    docs.append((R / p, 'department budget'))
for p in ['govinfo2023_jiangsu_huaian_hongze_district_annual_report.pdf','govinfo2024_jiangsu_huaian_hongze_district_annual_report.pdf']:
    docs.append((R / p, 'final accounts/self-evaluation/annual report'))
ANCHOR = re.compile(r'主要预期目标|今年|明年|绩效目标|下一步|目标|工作安排|总体要求|力争|工作任务')
rng = random.Random(1111)
out = []
for path, kind in docs:
    if path.suffix == '.pdf':
        text = pickle.loads((pathlib.Path('/tmp/pl-goals/cache') / (path.name + '.pkl')).read_bytes()).text; wrapped = True
    else:
        from ingest.readers import read
        text = read(path).text; wrapped = False
    cl = clauses(text, wrapped); n = len(cl); w = 20
    anchors = [i for i, (s, e, k) in enumerate(cl) if ANCHOR.search(text[s:e])]
    a = rng.choice(anchors) if anchors else rng.randrange(max(1, n - w))
    a = max(0, min(a - 3, n - w))
    for i in range(a, min(n, a + w)):
        s, e, k = cl[i]
        out.append({"doc": path.name, "kind": kind, "i": i, "sent": k, "start": s, "end": e, "text": text[s:e]})
for n, r in enumerate(out): r['id'] = 10000 + n
json.dump(out, open('/tmp/pl-goals/todo2.json', 'w'), ensure_ascii=False)
prev=None; ps=None
with open('/tmp/pl-goals/view2.txt','w') as f:
    for r in out:
        if r['doc']!=prev:
            f.write(f"\n##### {r['doc']} ({r['kind']})\n"); prev=r['doc']; ps=None
        if ps is not None and r['sent']!=ps: f.write("\n")
        ps=r['sent']
        f.write(f"{r['id']}|{r['text']}\n".replace('\n','⏎',r['text'].count('\n')))
print(len(out), len({r['doc'] for r in out}))
