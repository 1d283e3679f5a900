# Wall time of the same URLs three ways; dir/wall-times.dat: "LABEL" SECONDS. Variables: dir,
# subtitle.
data = dir . '/wall-times.dat'
set title "Wall time for the same URLs: (a) server -w 10 -k 7 + client 10, (b) the fetch-only floor\n{/*0.8 " . subtitle . "}"
set ylabel 'wall time (s, median)'
set yrange [0:*]
set style fill solid 0.7 border -1
set boxwidth 0.6
set grid ytics
set offsets 0.5, 0.5, 0, 0
set key off
plot data using 0:2:xtic(1) with boxes lc rgb '#4477aa', \
     data using 0:2:(sprintf('%.2f s', $2)) with labels offset 0, 1
