// Generates src/schema.d.ts from the server's OpenAPI document with openapi-typescript's Node API.
// `format: binary` (uploads, media, audio) becomes Blob, as in openapi-typescript's documented transform,
// so a photo upload is typed without casts. Usage: node generate.mjs [path/to/openapi.json]
import fs from "node:fs";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

const input = path.resolve(process.argv[2] ?? "../openapi.json");
const output = path.resolve("src/schema.d.ts");
const BLOB = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier("Blob"));
const NULL = ts.factory.createLiteralTypeNode(ts.factory.createNull());

const ast = await openapiTS(new URL(`file://${input}`), {
  transform(schemaObject) {
    if (schemaObject.format === "binary") {
      return schemaObject.nullable ? ts.factory.createUnionTypeNode([BLOB, NULL]) : BLOB;
    }
    return undefined;
  },
});
fs.writeFileSync(output, astToString(ast));
console.log(`wrote ${path.relative(process.cwd(), output)}`);
