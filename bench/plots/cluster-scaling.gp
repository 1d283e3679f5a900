# Cluster throughput against node count; dir/cluster-scaling.dat: NODES MEDIAN_URLS_PER_S IDEAL
# CURL_URLS_PER_S (curl with 10 per node in flight on the same upstream). Variables: dir,
# subtitle.
data = dir . '/cluster-scaling.dat'
stats data using 1 nooutput
nodes = STATS_max
set title "Cluster throughput against nodes (one Redis, one client)\n{/*0.8 " . subtitle . "}"
set xlabel 'server nodes (-w 10 each)'
set ylabel 'throughput (URLs/s)'
set xrange [0.5:nodes + 0.5]
set yrange [0:*]
set xtics 1
set grid
set key bottom right
plot data using 1:2 with linespoints lw 2 pt 7 title 'nodes (median)', \
     data using 1:3 with lines dt 2 lc rgb 'gray40' title 'ideal: 10 workers / delay per node', \
     data using 1:4 with linespoints dt 3 pt 6 title 'curl, 10 per node in flight', \
     data using 1:2:(sprintf('%.0f', $2)) with labels offset 0, 1 notitle
