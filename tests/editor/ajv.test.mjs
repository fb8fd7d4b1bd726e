// ajv (JSON Schema draft 2020-12, strict mode) compiles pyspec's schema and
// agrees with `pyspec validate` on the corpus in tests/corpus:
//   good/      valid for both
//   bad/       schema violations: invalid for both
//   semantic/  schema-valid, but pyspec's semantic checks refuse them
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { parse } from "yaml";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const schema = JSON.parse(readFileSync(path.join(root, "schema/pyspec.schema.json"), "utf8"));

function compileStrict() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  // yaml-language-server's snippet keyword: declared, so strict mode knows it.
  ajv.addKeyword("defaultSnippets");
  return ajv.compile(schema);
}

// pyspec validate --no-bind --format json on one file.
function pyspecValidate(file) {
  const bin = process.env.PYSPEC_BIN;
  const [cmd, args] = bin ? [bin, []] : ["go", ["run", path.join(root, "cmd/pyspec")]];
  try {
    return JSON.parse(execFileSync(cmd, [...args, "validate", "--no-bind", "--format", "json", file], { cwd: root, encoding: "utf8" }));
  } catch (e) {
    if (e.status === 1) return JSON.parse(e.stdout);
    throw e;
  }
}

test("the schema compiles in strict mode", () => {
  compileStrict();
});

for (const kind of ["good", "bad", "semantic"]) {
  const dir = path.join(root, "tests/corpus", kind);
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".yaml"))) {
    test(`corpus ${kind}/${name}`, () => {
      const file = path.join(dir, name);
      const validate = compileStrict();
      const ajvValid = validate(parse(readFileSync(file, "utf8")));
      const pyspec = pyspecValidate(file);
      switch (kind) {
        case "good":
          assert.equal(ajvValid, true, JSON.stringify(validate.errors));
          assert.equal(pyspec.valid, true, JSON.stringify(pyspec.problems));
          break;
        case "bad":
          assert.equal(ajvValid, false, "ajv accepts a schema violation");
          assert.equal(pyspec.valid, false, "pyspec accepts a schema violation");
          // Both name the same place: some pyspec problem's pointer is where ajv looked.
          const ajvPlaces = validate.errors.map((e) => e.instancePath);
          assert.ok(
            pyspec.problems.some((p) => ajvPlaces.some((a) => p.pointer === a || p.pointer.startsWith(a + "/") || a.startsWith(p.pointer + "/"))),
            `ajv ${JSON.stringify(ajvPlaces)} vs pyspec ${JSON.stringify(pyspec.problems.map((p) => p.pointer))}`,
          );
          break;
        case "semantic":
          assert.equal(ajvValid, true, JSON.stringify(validate.errors));
          assert.equal(pyspec.valid, false, "pyspec accepts a semantic error");
          break;
      }
    });
  }
}
