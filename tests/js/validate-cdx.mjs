#!/usr/bin/env node
// Validates a CycloneDX 1.6 JSON document written by lading:
//   node tests/js/validate-cdx.mjs FILE
// 1. against the official CycloneDX 1.6 JSON schema, with the validator that
//    @cyclonedx/cyclonedx-library ships (ajv + formats underneath);
// 2. against rules the schema cannot express: bom-refs are unique, every
//    dependency ref and dependsOn entry names an existing bom-ref, every
//    library component has a bom-ref and a purl, and every purl parses
//    (packageurl-js) with a type and a name.
// Exit 0 when valid, 1 when invalid (reasons on stderr), 2 on usage errors.
import { readFileSync } from 'node:fs'
import * as CDX from '@cyclonedx/cyclonedx-library'
import { PackageURL } from 'packageurl-js'

const file = process.argv[2]
if (!file) {
  console.error('usage: validate-cdx.mjs FILE')
  process.exit(2)
}
const text = readFileSync(file, 'utf8')
const problems = []

const validator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6)
const schemaErrors = await validator.validate(text)
if (schemaErrors !== null) {
  problems.push('schema: ' + JSON.stringify(schemaErrors, null, 2))
}

const bom = JSON.parse(text)
if (bom.specVersion !== '1.6') problems.push(`specVersion is ${bom.specVersion}, want 1.6`)

const refs = new Set()
const components = []
const root = bom.metadata?.component
if (root) components.push(root)
;(function walk (list) {
  for (const c of list ?? []) {
    components.push(c)
    walk(c.components)
  }
})(bom.components)

for (const c of components) {
  const ref = c['bom-ref']
  if (ref === undefined) {
    if (c.type === 'library') problems.push(`library component ${c.name} has no bom-ref`)
    continue
  }
  if (refs.has(ref)) problems.push(`bom-ref ${ref} is used twice`)
  refs.add(ref)
}

for (const c of components) {
  if (c.type === 'library' && !c.purl) problems.push(`library component ${c['bom-ref']} has no purl`)
  if (c.purl) {
    try {
      const p = PackageURL.fromString(c.purl)
      if (!p.type || !p.name) problems.push(`purl ${c.purl}: no type or name`)
    } catch (e) {
      problems.push(`purl ${c.purl} does not parse: ${e.message}`)
    }
  }
}

for (const d of bom.dependencies ?? []) {
  if (!refs.has(d.ref)) problems.push(`dependency ref ${d.ref} names no component`)
  for (const r of d.dependsOn ?? []) {
    if (!refs.has(r)) problems.push(`dependsOn ${r} (of ${d.ref}) names no component`)
  }
}

for (const v of bom.vulnerabilities ?? []) {
  for (const a of v.affects ?? []) {
    if (!refs.has(a.ref)) problems.push(`vulnerability ${v.id} affects ${a.ref}, which names no component`)
  }
}

if (problems.length) {
  console.error(`${file}: INVALID CycloneDX 1.6`)
  for (const p of problems) console.error('  ' + p)
  process.exit(1)
}
console.log(`${file}: valid CycloneDX 1.6 (${components.length} components)`)
