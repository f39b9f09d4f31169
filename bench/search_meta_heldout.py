"""Held-out sample (corpora/search/heldout_meta.jsonl; session 7): queries naming a region or year + a topic that
several documents share. Rule: relevant = every passage of the named document holding the topic
word (labels from the store by rule, before any search ran)."""
import json, sqlite3, sys
S = sys.argv[1] if len(sys.argv) > 1 else "policylens.sqlite3"  # store s6
Q = [("安徽省2026年低空经济", "gwr2026_anhui.txt", "低空经济"),
     ("湖北2026年育儿补贴", "gwr2026_hubei.txt", "育儿补贴"),
     ("黑龙江2026年冰雪经济", "gwr2026_heilongjiang.txt", "冰雪"),
     ("浙江省银发经济", "gwr2026_zhejiang.txt", "银发经济"),
     ("陕西以旧换新", "gwr2026_shaanxi.txt", "以旧换新"),
     ("天津托育服务", "gwr2026_tianjin.txt", "托育"),
     ("贵州高标准农田建设", "gwr2026_guizhou.txt", "高标准农田"),
     ("广东2026年人工智能", "gwr2026_guangdong.txt", "人工智能"),
     ("海南零基预算改革", "gwr2026_hainan.txt", "零基预算"),
     ("宁夏城市更新", "gwr2026_ningxia.txt", "城市更新"),
     ("湖南银发经济", "gwr2026_hunan.txt", "银发经济"),
     ("安徽零基预算", "gwr2026_anhui.txt", "零基预算"),
     ("1997年政府工作报告 国有企业改革", "gwr_national_1997_lipeng.txt", "国有企业"),
     ("2004年政府工作报告 农业税", "gwr_national_2004_wenjiabao.txt", "农业税"),
     ("2008年政府工作报告 物价上涨", "gwr_national_2008_wenjiabao.txt", "物价"),
     ("2016年供给侧结构性改革", "gwr_national_2016_likeqiang.txt", "供给侧结构性改革"),
     ("2017年政府工作报告 去产能", "gwr_national_2017.txt", "去产能"),
     ("2000年西部大开发", "gwr_national_2000_zhurongji.txt", "西部大开发"),
     ("1998年政府工作报告 粮食流通体制", "gwr_national_1998_lipeng.txt", "粮食流通"),
     ("1990年治理整顿", "gwr_national_1990_lipeng.txt", "治理整顿")]
c = sqlite3.connect(f"file:{S}?mode=ro", uri=True)
out = []
for i, (q, src, topic) in enumerate(Q):
    rows = c.execute("SELECT p.text FROM passages p JOIN documents d ON d.id=p.doc_id"
                     " WHERE d.source=? AND p.text LIKE ?", (src, f"%{topic}%")).fetchall()
    others = c.execute("SELECT count(DISTINCT d.id) FROM passages p JOIN documents d ON d.id=p.doc_id"
                       " WHERE d.source<>? AND p.text LIKE ?", (src, f"%{topic}%")).fetchone()[0]
    rel = []
    for (t,) in rows:
        k = t.index(topic); snip = t[max(0, k - 8): k + len(topic) + 8]
        rel.append({"doc": src, "contains": snip})
    print(q, len(rows), "others:", others, file=sys.stderr)
    if rows and others >= 2:
        out.append({"id": f"m{i+1:03d}", "query": q, "kind": "meta", "relevant": rel})
for o in out:
    print(json.dumps(o, ensure_ascii=False))
