# Peak RSS of a walk against the number of records: streaming against collecting first (bench/run writes the data).
#     gnuplot -e "data='memory.dat'; out='bench/memory.svg'" bench/memory.gp
# data: one line per size, "records stream_mb collect_mb", '#' comments.
if (!exists("data")) data = 'memory.dat'
if (!exists("out")) out = 'memory.svg'
set terminal svg size 640,400 font "sans,12" background "white" noenhanced
set output out
set title "Peak RSS of one walk over HTTP, 100 records a page"
set xlabel "records walked (log scale)"
set ylabel "peak RSS, MB (log scale)"
set logscale x 10
set logscale y 10
set xtics ("10k" 10000, "100k" 100000, "500k" 500000, "2M" 2000000)
set xrange [7000:3000000]
set grid xtics ytics lc rgb "#dddddd"
set key top left
set style line 1 lc rgb "#1f77b4" lw 2 pt 7 ps 0.8
set style line 2 lc rgb "#d62728" lw 2 pt 5 ps 0.8
plot data using 1:2 with linespoints ls 1 title "streaming (one record at a time)", \
     data using 1:3 with linespoints ls 2 title "co_await paged::collect(...), then use"
