import sys,re,collections,subprocess
f=sys.argv[1]; thread_filter=sys.argv[2] if len(sys.argv)>2 else None
out=subprocess.run(['jfr','print','--stack-depth','64','--events','jdk.ExecutionSample',f],capture_output=True,text=True).stdout
events=out.split('jdk.ExecutionSample')
selfc=collections.Counter(); tot=collections.Counter(); thr=collections.Counter(); n=0
for e in events:
    m=re.search(r'sampledThread = "([^"]*)"',e)
    if not m: continue
    t=m.group(1); thr[t]+=1
    if thread_filter and thread_filter not in t: continue
    frames=re.findall(r'^\s+([\w.$<>]+)\(',e,re.M)
    if not frames: continue
    n+=1; selfc[frames[0]]+=1
    for fr in set(frames): tot[fr]+=1
allc=sum(thr.values())
print('threads:',[(k,round(100*v/allc,1)) for k,v in thr.most_common(8)])
print('n=',n)
print('SELF'); [print(f'  {100*v/n:5.1f} {k}') for k,v in selfc.most_common(25)]
print('TOTAL'); [print(f'  {100*v/n:5.1f} {k}') for k,v in tot.most_common(60)]
