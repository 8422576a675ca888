/** Renderers: pure functions from values to strings; the CLI decides where they go. */
export { renderPlanText, type PlanTextOptions } from './plan-text.js';
export { renderPlanJson, PLAN_JSON_FORMAT_VERSION } from './plan-json.js';
export { renderPlanMarkdown, PLAN_MARKDOWN_MAX, type PlanMarkdownOptions } from './plan-markdown.js';
export { summaryLine as planSummaryLine, NO_CHANGES } from './plan-common.js';
