/** A few inline SVG icons (no icon font, no emoji: they render the same everywhere). */
const paths = {
  speaker: "M3 9v6h4l5 5V4L7 9H3zm13.5 3a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z",
  contrast: "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 2v16a8 8 0 0 1 0-16z",
  text: "M9 4v3h5v12h3V7h5V4H9zM3 12h3v7h3v-7h3V9H3v3z",
  back: "M20 11H7.8l5.6-5.6L12 4l-8 8 8 8 1.4-1.4L7.8 13H20v-2z",
  check: "M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4L9 16.2z",
  door: "M19 19V4h-4V3H5v16H3v2h12V6h2v15h4v-2h-2zm-8-6H9v-2h2v2z",
  card: "M20 4H4a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2zm0 14H4v-6h16v6zm0-10H4V6h16v2z",
  alert: "M1 21h22L12 2 1 21zm12-3h-2v-2h2v2zm0-4h-2v-4h2v4z"
} as const

export type IconName = keyof typeof paths

export const icon = (name: IconName): SVGSVGElement => {
  const ns = "http://www.w3.org/2000/svg"
  const svg = document.createElementNS(ns, "svg")
  svg.setAttribute("viewBox", "0 0 24 24")
  svg.setAttribute("aria-hidden", "true")
  svg.setAttribute("focusable", "false")
  svg.setAttribute("class", "icon")
  const path = document.createElementNS(ns, "path")
  path.setAttribute("d", paths[name])
  svg.appendChild(path)
  return svg
}
