import collections,re,sys
snaps=collections.defaultdict(dict)
for line in open(sys.argv[1]):
    p=line.split()
    if len(p)!=5: continue
    t,tid,c,u,s=p; snaps[int(t)][(tid,c)]=int(u)+int(s)
ts=sorted(snaps)
def norm(c): return re.sub(r'\d+','#',c)
# per-second total and insert-thread deltas
rows=[]
for a,b in zip(ts,ts[1:]):
    d=collections.Counter()
    for k,v in snaps[b].items(): d[norm(k[1])]+=v-snaps[a].get(k,0)
    rows.append((b,d))
for b,d in rows: print(b-ts[0], sum(d.values()), d.get('herald-archive-','?') if 'herald-archive-' in d else {k:v for k,v in d.items() if 'archive' in k})
a,b=int(sys.argv[2]),int(sys.argv[3])
t0=ts[0]; A=[t for t in ts if t-t0>=a][0]; B=[t for t in ts if t-t0<=b][-1]
d=collections.Counter()
for k,v in snaps[B].items(): d[norm(k[1])]+=v-snaps[A].get(k,0)
tot=sum(d.values()); msgs=5000*(B-A)
print('window',A-t0,B-t0,'total ticks',tot,'us/msg',tot*1e4/msgs)
for k,v in d.most_common(14): print(f'  {k:20s} {v*1e4/msgs:6.1f} us/msg {100*v/tot:5.1f}%')
