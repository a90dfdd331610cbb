// What a planner's browser would do without server-side aggregation: parse
// every point, index them with supercluster, then cluster each view.
// node bench/supercluster.mjs points.json views.json → timings as JSON.
import { readFileSync } from "node:fs";
import Supercluster from "supercluster";

const [pointsFile, viewsFile] = process.argv.slice(2);
let start = performance.now();
const coordinates = JSON.parse(readFileSync(pointsFile, "utf8"));
const parse = performance.now() - start;

start = performance.now();
const features = coordinates.map((c) => ({
  type: "Feature", properties: null, geometry: { type: "Point", coordinates: c },
}));
// 64-pixel radius on 256-pixel tiles, as wide as our 128-pixel cells.
const index = new Supercluster({ radius: 64, extent: 256, maxZoom: 17 }).load(features);
const load = performance.now() - start;

const views = JSON.parse(readFileSync(viewsFile, "utf8"));
const times = views.map(({ bbox, zoom }) => {
  const t = performance.now();
  index.getClusters(bbox, zoom);
  return performance.now() - t;
});
console.log(JSON.stringify({ parse, load, times }));
