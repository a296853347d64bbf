/**
 * What the command line says before @effect/cli parses it: a wrong option,
 * value or command gets one sentence that names it and, where one is close,
 * what was meant ("unknown option --prot; did you mean --port?"); and `--help`
 * prints the command's own help under its full path ("amtomat scenario run"),
 * without the parser's boilerplate lines. Everything is read from the
 * commands' own descriptors, so a new option needs nothing here.
 */
import { type CliConfig, type Command, CommandDescriptor, HelpDoc, Usage } from "@effect/cli"
import { HashMap, Option } from "effect"
import { closest } from "../core/domain/suggest.ts"

type Descriptor = CommandDescriptor.Command<unknown>

/** An option of a command: whether it takes a value, and of which kind ("integer", "file", "twin | serial"). */
interface Flag {
  readonly name: string
  readonly value: string | undefined
}

/** Options every command has (@effect/cli's built-ins). */
const builtIns: ReadonlyArray<Flag> = [
  { name: "--help", value: undefined },
  { name: "-h", value: undefined },
  { name: "--version", value: undefined },
  { name: "--wizard", value: undefined },
  { name: "--completions", value: "sh | bash | fish | zsh" },
  { name: "--log-level", value: "all | trace | debug | info | warning | error | fatal | none" }
]

const flagsOf = (usage: Usage.Usage, out: Array<Flag> = []): Array<Flag> => {
  switch (usage._tag) {
    case "Named":
      for (const name of usage.names) if (name.startsWith("-")) out.push({ name, value: Option.getOrUndefined(usage.acceptedValues) })
      return out
    case "Optional":
    case "Repeated":
      return flagsOf(usage.usage, out)
    case "Alternation":
    case "Concat":
      flagsOf(usage.left, out)
      return flagsOf(usage.right, out)
    default:
      return out
  }
}

/**
 * A command's own subcommands by name. CommandDescriptor.getSubcommands answers for a nested
 * command with the command itself, so the descriptor's tree is walked here: a "Map" wraps a
 * command, "Subcommands" holds a parent and its children (cli.test.ts covers every nesting).
 */
interface Node {
  readonly _tag: string
  readonly command?: Node
  readonly children?: ReadonlyArray<Node>
}
const unwrap = (d: Node): Node => (d._tag === "Map" && d.command !== undefined ? unwrap(d.command) : d)
const childrenOf = (d: Descriptor): HashMap.HashMap<string, Descriptor> => {
  const node = unwrap(d as unknown as Node)
  if (node._tag !== "Subcommands" || node.children === undefined) return HashMap.empty()
  return HashMap.fromIterable(node.children.map((c) => [[...CommandDescriptor.getNames(c as unknown as Descriptor)][0]!, c as unknown as Descriptor] as const))
}

/** The command argv names (its path and descriptor) and where its own arguments start. */
const resolve = (root: Descriptor, rootName: string, args: ReadonlyArray<string>) => {
  let d = root
  const path = [rootName]
  let i = 0
  while (i < args.length) {
    const children = childrenOf(d)
    if (HashMap.size(children) === 0) break
    const next = args[i]!
    if (next.startsWith("-")) {
      // a built-in option before the command (--log-level debug serve …) is the parser's: step over it
      const name = next.split("=")[0]!.toLowerCase()
      const builtIn = builtIns.find((b) => b.name === name)
      // help and version belong to the command reached so far
      if (builtIn === undefined || ["--help", "-h", "--version"].includes(name)) break
      i += builtIn.value !== undefined && !next.includes("=") ? 2 : 1
      continue
    }
    // @effect/cli reads command and option names without regard to case
    const child = HashMap.get(children, next.toLowerCase())
    if (Option.isNone(child)) {
      const names = [...HashMap.keys(children)].sort()
      const near = closest(next, names)
      return {
        problem: `${path.join(" ")}: there is no command ${next}${near === undefined ? "" : `; did you mean ${near}?`} (the commands: ${names.join(", ")}; ${
          path.join(" ")
        } --help)`
      } as const
    }
    d = child.value
    path.push(next)
    i++
  }
  return { descriptor: d, path, rest: args.slice(i) } as const
}

/**
 * Each option's default, from the descriptor's options tree ("WithDefault" around a "Single"):
 * @effect/cli's help says only "This setting is optional." of them.
 */
interface OptionNode {
  readonly _tag: string
  readonly fullName?: string
  readonly fallback?: unknown
  readonly options?: OptionNode
  readonly left?: OptionNode
  readonly right?: OptionNode
}
const namesIn = (o: OptionNode | undefined, out: Array<string> = []): Array<string> => {
  if (o === undefined) return out
  if (o._tag === "Single" && o.fullName !== undefined) out.push(o.fullName)
  namesIn(o.options, out)
  namesIn(o.left, out)
  namesIn(o.right, out)
  return out
}
const defaultsIn = (o: OptionNode | undefined, out: Map<string, string> = new Map()): Map<string, string> => {
  if (o === undefined) return out
  if (o._tag === "WithDefault") {
    const shown = Option.isOption(o.fallback) ? Option.getOrUndefined(o.fallback as Option.Option<unknown>) : o.fallback
    // a boolean flag's default (false) is what leaving it out means: nothing to say
    if (shown !== undefined && shown !== false) { for (const name of namesIn(o.options)) out.set(name, String(shown)) }
  }
  defaultsIn(o.options, out)
  defaultsIn(o.left, out)
  defaultsIn(o.right, out)
  return out
}
const defaultsOf = (d: Descriptor): Map<string, string> => {
  const node = unwrap(d as unknown as Node) as Node & { readonly options?: OptionNode; readonly parent?: Node }
  const standard = node._tag === "Subcommands" && node.parent !== undefined ? unwrap(node.parent) as typeof node : node
  return defaultsIn(standard.options)
}

const integer = /^[+-]?\d+$/
/** What @effect/cli takes as a boolean flag's inline value (--demo=yes). */
const booleanValue = /^(true|false|1|0|y|n|yes|no|on|off)$/i

/** One sentence for what is wrong with the options in `args`, or undefined when they fit the command. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any command: only its descriptor is read
type AnyCommand = Command.Command<any, any, any, any>

export const checkArgs = (command: AnyCommand, rootName: string, args: ReadonlyArray<string>): string | undefined => {
  const at = resolve(command.descriptor as Descriptor, rootName, args)
  if ("problem" in at) return at.problem
  if (at.rest.includes("--help") || at.rest.includes("-h")) return undefined
  const own = flagsOf(CommandDescriptor.getUsage(at.descriptor))
  const flags = new Map([...builtIns, ...own].map((f) => [f.name.toLowerCase(), f]))
  const where = at.path.join(" ")
  for (let i = 0; i < at.rest.length; i++) {
    const token = at.rest[i]!
    if (token === "--") break
    if (!token.startsWith("-") || integer.test(token)) continue
    const [name, inline] = token.includes("=") ? [token.slice(0, token.indexOf("=")), token.slice(token.indexOf("=") + 1)] : [token, undefined]
    const flag = flags.get(name.toLowerCase())
    if (flag === undefined) {
      const near = closest(name, own.map((f) => f.name))
      const list = own.map((f) => f.name).join(", ")
      return near !== undefined
        ? `${where}: unknown option ${name}; did you mean ${near}?`
        : `${where}: unknown option ${name} (${list === "" ? "it has no options" : `the options: ${list}`}; ${where} --help)`
    }
    if (flag.value === undefined) {
      if (inline !== undefined && !booleanValue.test(inline)) {
        return `${where}: ${name} is on or off, so ${token} is not understood (--${name.replace(/^-+/, "")}=yes or no)`
      }
      continue
    }
    const value = inline ?? at.rest[i + 1]
    if (inline === undefined) i++
    if (value === undefined || (inline === undefined && value.startsWith("--"))) return `${where}: ${name} needs a value (${flag.value})`
    if (flag.value === "integer" && !integer.test(value)) return `${where}: ${name} must be a whole number, not '${value}'`
    if (flag.value.includes(" | ")) {
      const choices = flag.value.split(" | ")
      if (!choices.includes(value)) {
        const near = closest(value, choices)
        return `${where}: ${name} must be one of ${choices.join(", ")}, not '${value}'${near === undefined ? "" : `; did you mean ${near}?`}`
      }
    }
  }
  return undefined
}

/** Colour codes in @effect/cli's rendering. */
const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g")

/** The built-in options' headers in a command's help: listed once under `amtomat --help`, not under every command. */
const builtInHeader = /^(--completions|--log-level|--wizard|--version|\(-h, --help\))( |$)/

/** Lines of @effect/cli's help that say nothing a reader needs ("An integer.", "This setting is optional."). */
const boilerplate = [
  /^\s*A user-defined piece of text\.$/,
  /^\s*An integer\.$/,
  /^\s*A floating point number\.$/,
  /^\s*A true or false value\.$/,
  /^\s*A file\.$/,
  /^\s*A directory\.$/,
  /^\s*A file or directory\.$/,
  /^\s*One of the following: .*$/,
  /^\s*This setting is optional\.$/
]

/** The help of the command argv names, under its full path; undefined when argv does not ask for help. */
export const helpFor = (
  command: AnyCommand,
  rootName: string,
  args: ReadonlyArray<string>,
  config: CliConfig.CliConfig
): string | undefined => {
  const at = resolve(command.descriptor as Descriptor, rootName, args)
  if ("problem" in at || !(at.rest.includes("--help") || at.rest.includes("-h"))) return undefined
  const text = HelpDoc.toAnsiText(CommandDescriptor.getHelp(at.descriptor, config)).replace(ansi, "")
  const full = at.path.join(" ")
  const defaults = defaultsOf(at.descriptor)
  let inBuiltIn = false
  const lines = text.split("\n")
    .filter((line) => {
      if (at.path.length > 1 && builtInHeader.test(line)) return !(inBuiltIn = true)
      if (inBuiltIn && (line.trim() === "" || /^\s/.test(line))) return false
      inBuiltIn = false
      return true
    })
    .filter((line) => !boilerplate.some((b) => b.test(line)))
    .map((line) => {
      const flag = /^(--[a-z0-9-]+)( |$)/.exec(line)?.[1]
      const value = flag === undefined ? undefined : defaults.get(flag)
      return value === undefined ? line : `${line}  (default: ${value})`
    })
  // the boilerplate leaves blank lines behind: at most one in a row
  const out: Array<string> = []
  for (const line of lines) if (!(line.trim() === "" && out.length > 0 && out[out.length - 1]!.trim() === "")) out.push(line)
  const usage = HelpDoc.toAnsiText(Usage.getHelp(CommandDescriptor.getUsage(at.descriptor))).replace(ansi, "").trim()
  out.unshift("USAGE", "", `$ ${[...at.path.slice(0, -1), usage].join(" ")}`, "")
  const children = [...HashMap.keys(childrenOf(at.descriptor))]
  const more = children.length === 0 ? "" : `\nEach command's own options: ${full} <command> --help (${children.sort().join(", ")}).\n`
  return `${full}\n\n${out.join("\n").trim()}\n${more}`
}
