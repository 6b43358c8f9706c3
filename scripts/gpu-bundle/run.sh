#!/usr/bin/env bash
# TicketLab offline GPU bundle (built by scripts/gpu-bundle/build.ts; see docs/gpu.md).
# On a machine with an NVIDIA GPU and no internet: unpacks the bundled Node, installs the
# bundled Vulkan loader if none is there, points Vulkan at the NVIDIA driver, then runs
#   1. the TicketLab training workloads + a short WSN run on WebGPU (Dawn over Vulkan),
#   2. the same short WSN run on the CPU (wasm), to compare ACC/BWT,
#   3. the PyTorch CUDA reference of the same workloads,
# writing JSON and logs to $OUT (the device tool's folder) or, without it, to <bundle>/out.
set -u
B="$(cd "$(dirname "$0")" && pwd)"
O="${OUT:-$B/out}"
mkdir -p "$O"
W="$(mktemp -d)"
QUICK="${TICKETLAB_GPU_QUICK:+--quick}"

unxz() { # xz may be missing there; Python's lzma is not
  if command -v xz >/dev/null; then xz -dc "$1" >"$2"
  else python3 -c "import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2],'wb'))" "$1" "$2"; fi
}
echo "== unpack node and dawn.node"
unxz "$B/node.xz" "$W/node" && chmod +x "$W/node"
mkdir -p "$B/node_modules/webgpu/dist/linux-x64"
[ -f "$B/node_modules/webgpu/dist/linux-x64/dawn.node" ] || unxz "$B/dawn.node.xz" "$B/node_modules/webgpu/dist/linux-x64/dawn.node"
"$W/node" --version || { echo "the bundled node does not run here"; exit 1; }

echo "== vulkan loader"
if ! ldconfig -p | grep -q 'libvulkan.so.1'; then
  for f in "$B"/debs/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
ldconfig -p | grep libvulkan.so.1 || echo "no libvulkan.so.1 after unpacking the bundled loader"
for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  if [ -f "$icd" ]; then export VK_DRIVER_FILES="$icd" VK_ICD_FILENAMES="$icd"; echo "ICD: $icd"; break; fi
done
export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv >"$O/nvidia-smi.csv" 2>&1; cat "$O/nvidia-smi.csv"

echo "== 1. TicketLab on webgpu"
(cd "$B" && timeout 300 "$W/node" gpu-bench.js --backend=webgpu $QUICK --out="$O/ticketlab-webgpu.json" >/dev/null) 2>&1 | tee "$O/ticketlab-webgpu.log"
echo "== 2. the same WSN run on the CPU (wasm)"
(cd "$B" && timeout 120 "$W/node" gpu-bench.js --backend=wasm --workloads= $QUICK --out="$O/ticketlab-wasm-wsn.json" >/dev/null) 2>&1 | tee "$O/ticketlab-wasm-wsn.log"
echo "== 3. PyTorch CUDA reference"
(cd "$B" && PYTHONUNBUFFERED=1 timeout 120 python3 pytorch_cuda.py ${QUICK:+--quick} >"$O/pytorch-cuda.json") 2>&1 | tee "$O/pytorch-cuda.log"

echo "== summary"
"$W/node" -e '
const fs = require("fs"), o = process.argv[1], read = (f) => { try { return JSON.parse(fs.readFileSync(o + "/" + f, "utf8")); } catch { return null; } };
const g = read("ticketlab-webgpu.json"), c = read("ticketlab-wasm-wsn.json"), t = read("pytorch-cuda.json");
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const rows = {};
for (const [k, v] of Object.entries(g?.workloads ?? {})) rows[k] = { webgpu: Math.round(v.samplesPerSecond) };
for (const [k, v] of Object.entries(t?.results ?? {})) (rows[k] ??= {}).torchCuda = Math.round(med(v.samples.map((s, i) => (s * 1000) / v.ms[i])));
const summary = { device: g?.backend?.device ?? null, torch: t?.device ?? t?.error ?? null, samplesPerSecond: rows,
  wsn: { webgpu: g?.wsnRun && { acc: g.wsnRun.acc, bwt: g.wsnRun.bwt }, wasm: c?.wsnRun && { acc: c.wsnRun.acc, bwt: c.wsnRun.bwt } } };
fs.writeFileSync(o + "/summary.json", JSON.stringify(summary, null, 1));
console.log(JSON.stringify(summary, null, 1));' "$O"
rm -rf "$W"
