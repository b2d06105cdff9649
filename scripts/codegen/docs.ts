/**
 * Emits `generated/docs.ts`: the full documentation of the operations the CLI offers and of their
 * input members, as plain text (paragraphs, `*` list items, links as `text (url)`), for
 * `cognito-auth-events <command> help`.
 */
import { type Model, isEnum, shape } from "./model.ts";

/** The operations the CLI offers (its commands), in the order its help lists them. */
export const CLI_OPERATIONS = [
  "AdminListUserAuthEvents",
  "AdminUpdateAuthEventFeedback",
  "ListUsers",
  "UpdateAuthEventFeedback",
] as const;

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", quot: '"', apos: "'", "#39": "'", amp: "&", nbsp: " " };

/**
 * The model's documentation HTML to plain text: one paragraph per block (`<p>`, `<li>`, `<note>`...),
 * paragraphs separated by a blank line, list items prefixed with `* `, links as `text (url)`
 * unless the text is the url.
 */
export function htmlToText(html: string | undefined): string {
  if (!html) return "";
  const withLinks = html.replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_, href: string, text: string) => {
    const label = text
      .replace(/<[^>]*>/g, "")
      .replace(/\s+/g, " ")
      .trim();
    return label === href || !href ? label : `${label} (${href})`;
  });
  const marked = withLinks
    .replace(/<li[^>]*>/gi, "\n\n\u0001")
    .replace(/<\/?(p|ul|ol|li|note|important|div|br|h\d)[^>]*>/gi, "\n\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(lt|gt|quot|apos|#39|amp|nbsp);/g, (_, name: string) => ENTITIES[name] ?? "");
  const paragraphs: string[] = [];
  let bullet = false;
  for (const block of marked.split(/\n\s*\n/)) {
    // U+0001 marks the start of a list item: its first paragraph gets the bullet.
    if (block.includes("\u0001")) bullet = true;
    const text = block
      .replace(/\u0001/g, "")
      .replace(/\s+/g, " ")
      .trim();
    if (text === "") continue;
    paragraphs.push(bullet ? `* ${text}` : text);
    bullet = false;
  }
  return paragraphs.join("\n\n");
}

export function emitDocs(model: Model): string {
  const out: string[] = [
    "/** Documentation of one CLI operation, as plain text (paragraphs separated by a blank line). */",
    "export interface OperationDocs {",
    "  readonly documentation: string;",
    "  /** Input members in model order: documentation, and the enum values when the member is an enum. */",
    "  readonly members: { readonly [member: string]: { readonly documentation: string; readonly enum?: readonly string[] } };",
    "}",
    "",
    "/** The operations the CLI offers, by operation name. */",
    "export const docs: { readonly [operation: string]: OperationDocs } = {",
  ];
  for (const name of CLI_OPERATIONS) {
    const op = model.operations[name]!;
    const input = op.input ? shape(model, op.input.shape) : undefined;
    out.push(`  ${name}: {`);
    out.push(`    documentation: ${JSON.stringify(htmlToText(op.documentation))},`);
    out.push("    members: {");
    for (const [member, ref] of Object.entries(input?.members ?? {})) {
      const target = shape(model, ref.shape);
      const doc = htmlToText(ref.documentation ?? target.documentation);
      const values = isEnum(target) ? target.enum : undefined;
      out.push(
        `      ${member}: { documentation: ${JSON.stringify(doc)}${values ? `, enum: ${JSON.stringify(values)}` : ""} },`,
      );
    }
    out.push("    },");
    out.push("  },");
  }
  out.push("};");
  return out.join("\n");
}
