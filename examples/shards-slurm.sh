#!/usr/bin/env bash
# A Slurm job array for one study in 8 shards (docs/cli.md, "Many machines"):
#   sbatch examples/shards-slurm.sh
# then, once every task is done,
#   who-can-federate summary results/part-*.ndjson
# A task that is requeued resumes its file (--resume). Ask your own resolver (--dns), not a
# public one, and keep --rate within what it allows each client.
#SBATCH --job-name=who-can-federate
#SBATCH --array=1-8
#SBATCH --cpus-per-task=1
#SBATCH --mem=512M
#SBATCH --time=04:00:00
#SBATCH --requeue
#SBATCH --output=logs/shard-%a.log
set -euo pipefail

SHARDS=8
RESOLVER="${RESOLVER:-127.0.0.1}"
mkdir -p results logs
node bin/who-can-federate.js check input/top-1m.txt \
  --cohort "Fortune 500=input/f500.txt" \
  --dns "$RESOLVER" --rate 2000 \
  --format ndjson --quiet \
  --shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}" \
  --output "results/part-${SLURM_ARRAY_TASK_ID}.ndjson" --resume
