# Per-URL time distributions of one run (a), from the server's /metrics histograms:
# dir/latency-fetch.dat and dir/latency-kernel.dat: INDEX "BUCKET" COUNT CUMULATIVE_FRACTION.
# Variables: dir, subtitle.
set multiplot layout 1, 2 title "Per-URL times in one run (a), server /metrics histograms\n{/*0.8 " . subtitle . "}"
set style fill solid 0.7 border -1
set boxwidth 0.8
set grid ytics
set xtics rotate by 45 right font ',8'
set ylabel 'URLs in bucket'
set y2label 'cumulative share (%)'
set yrange [0:*]
set y2range [0:100]
set y2tics 0, 20, 100
set ytics nomirror
set key outside below center horizontal
set offsets 0, 0, graph 0.1, 0
count_label(n) = n > 0 ? sprintf('%d', n) : ''
set title 'fetch (transfer, retries included)'
set xlabel 'fetch time bucket'
plot dir . '/latency-fetch.dat' using 1:3:xtic(2) with boxes lc rgb '#4477aa' title 'URLs', \
     '' using 1:3:(count_label($3)) with labels offset 0, 0.7 font ',8' notitle, \
     '' using 1:($4 * 100) axes x1y2 with linespoints lw 2 pt 7 lc rgb '#cc6677' title 'cumulative'
set title 'kernel (end of transfer to answer)'
set xlabel 'kernel time bucket'
plot dir . '/latency-kernel.dat' using 1:3:xtic(2) with boxes lc rgb '#228833' title 'URLs', \
     '' using 1:3:(count_label($3)) with labels offset 0, 0.7 font ',8' notitle, \
     '' using 1:($4 * 100) axes x1y2 with linespoints lw 2 pt 7 lc rgb '#cc6677' title 'cumulative'
unset multiplot
