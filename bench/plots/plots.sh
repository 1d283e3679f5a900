# shellcheck shell=bash
# Sourced by the benchmarks that also draw their figures as PNG plots with gnuplot, each from a
# .dat file left next to it so that it can be redrawn (gnuplot -e "..." bench/plots/NAME.gp).
#   plots_init SCRIPT   fails (exit 2) naming SCRIPT if gnuplot is missing; makes PLOT_DIR
#                       (default build/bench-plots, relative to the repository) and picks the
#                       terminal: pngcairo where gnuplot has it, else png
#   plot NAME VAR=VALUE...
#                       draws bench/plots/NAME.gp into $PLOT_DIR/NAME.png; dir (PLOT_DIR) and
#                       each VAR are gnuplot string variables (no single quotes in values)

plots_init() {
  if ! command -v gnuplot > /dev/null; then
    echo "$1: gnuplot is not installed (apt-get install gnuplot-nox); it draws the plots" >&2
    exit 2
  fi
  PLOT_DIR=${PLOT_DIR:-build/bench-plots}
  mkdir -p "$PLOT_DIR"
  local terminals
  terminals=$(gnuplot -e 'set terminal' < /dev/null 2>&1)
  if [[ $terminals == *pngcairo* ]]; then
    PLOT_TERMINAL="pngcairo size 800,500 font 'DejaVu Sans,10'"
  else
    PLOT_TERMINAL="png size 800,500"
  fi
}

plot() {
  local name=$1 commands var
  shift
  commands="set terminal $PLOT_TERMINAL; set output '$PLOT_DIR/$name.png'; dir='$PLOT_DIR';"
  for var in "$@"; do
    commands+=" ${var%%=*}='${var#*=}';"
  done
  gnuplot -e "$commands" "bench/plots/$name.gp"
}
