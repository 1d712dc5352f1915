// The main job on a bundled input: detect objects in a photo and print them.
import { detectObjects } from '@ondevice/vision';

const image = process.argv[2] ?? 'samples/kitchen.jpg';
const started = performance.now();
const objects = await detectObjects(image);
console.log(
  `${objects.length} objects in ${image} (${Math.round(performance.now() - started)} ms including model load):`,
);
for (const o of objects) {
  const b = o.box;
  console.log(
    `  ${o.label.padEnd(14)} ${(o.score * 100).toFixed(0).padStart(3)}%  at x=${Math.round(b.x)} y=${Math.round(b.y)} ${Math.round(b.width)}×${Math.round(b.height)}`,
  );
}
