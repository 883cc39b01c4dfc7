#!/usr/bin/env bash
# A sweep as a Slurm job array: each array task runs one shard of the sweep into its own
# directory on the shared file system; a last job, started once every task has succeeded,
# merges the shards into the files one unsharded run writes.
#
#   sbatch workloads/sweeps/slurm-array.sh                  # submits the array and the merge
#
# SWEEP, OUT, TASKS and NMSIM can be overridden from the environment:
#   SWEEP=my-sweep.json OUT=/scratch/$USER/my-sweep TASKS=64 sbatch workloads/sweeps/slurm-array.sh
#
#SBATCH --job-name=nmsim-sweep
#SBATCH --cpus-per-task=4
#SBATCH --mem=2G
#SBATCH --time=01:00:00
#SBATCH --output=nmsim-sweep-%A_%a.log
set -euo pipefail

SWEEP=${SWEEP:-workloads/sweeps/array-shape-vs-levels.json}
OUT=${OUT:-$PWD/sweep-out}
TASKS=${TASKS:-8}
NMSIM=${NMSIM:-nmsim}

if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
    # Submitted as a plain job: submit the array, then the merge that waits for all of it.
    mkdir -p "$OUT"
    array=$(sbatch --parsable --array=0-$((TASKS - 1)) --export=ALL,SWEEP="$SWEEP",OUT="$OUT",NMSIM="$NMSIM" "$0")
    sbatch --dependency=afterok:"$array" --job-name=nmsim-merge --cpus-per-task=1 --output=nmsim-merge-%j.log \
        --wrap "$NMSIM merge $OUT/shard-* --output $OUT/merged"
    echo "array job $array: $TASKS shards into $OUT/shard-*, merged into $OUT/merged when all succeed"
    exit 0
fi

# One array task: the shard comes from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT.
# --resume lets a requeued or re-submitted task continue where it stopped.
dir="$OUT/shard-$SLURM_ARRAY_TASK_ID"
if [ -f "$dir/sweep.json" ]; then resume=--resume; else resume=; fi
exec "$NMSIM" sweep "$SWEEP" --output "$dir" --shard auto --jobs "${SLURM_CPUS_PER_TASK:-1}" $resume
