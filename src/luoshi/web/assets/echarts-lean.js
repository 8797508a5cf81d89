// The dashboard's ECharts: only what charts.js draws (a line, a scatter, a time grid, a tooltip,
// the canvas renderer), bundled by esbuild at install time (`make`), instead of the 1.1 MB build.
import * as echarts from "echarts/core";
import { LineChart, ScatterChart } from "echarts/charts";
import { GridComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([LineChart, ScatterChart, GridComponent, TooltipComponent, CanvasRenderer]);
window.echarts = echarts;
