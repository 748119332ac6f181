// The preset scenarios, one data file each (format: docs/scenarios.md). Adding a preset = adding its
// JSON file here and one line below; the catalogue lists them in the order of these names (p01, p02…).
export { default as p01 } from './three-node-power-loss.json';
export { default as p02 } from './three-node-isolation.json';
export { default as p03 } from './two-node-no-qdevice.json';
export { default as p04 } from './two-node-qdevice.json';
export { default as p05 } from './four-node-split-no-qdevice.json';
export { default as p06 } from './four-node-split-qdevice.json';
export { default as p07 } from './five-node-split-3-2.json';
export { default as p08 } from './planned-maintenance.json';
export { default as p09 } from './clock-skew.json';
export { default as p10 } from './build-cluster.json';
export { default as p11 } from './qdevice-vm-trap.json';
export { default as p12 } from './not-a-backup.json';
export { default as p13 } from './network-design.json';
