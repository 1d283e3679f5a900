# Throughput against the server's worker count; dir/throughput-workers.dat: WORKERS URLS_PER_S,
# -w 1 first. Variables: dir, subtitle.
data = dir . '/throughput-workers.dat'
stats data using 2 every ::0::0 nooutput
base = STATS_min  # the -w 1 rate
stats data using 2 nooutput
top = STATS_max
set title "Server throughput against worker threads\n{/*0.8 " . subtitle . "}"
set xlabel 'server worker threads (-w)'
set ylabel 'throughput (URLs/s)'
set xrange [0:*]
set yrange [0:top * 1.4]  # the linear reference may be cut off, never the data
set xtics (1, 2, 4, 10)
set grid
set key bottom right
set offsets 0.5, 0.5, 0, 0
plot data using 1:2 with linespoints lw 2 pt 7 title 'measured (median)', \
     data using 1:($1 * base) with lines dt 2 lc rgb 'gray40' title 'linear from -w 1', \
     data using 1:2:(sprintf('%.0f', $2)) with labels offset 0, 1 notitle
