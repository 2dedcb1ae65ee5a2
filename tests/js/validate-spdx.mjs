#!/usr/bin/env node
// Validates an SPDX 2.3 JSON document written by lading:
//   node tests/js/validate-spdx.mjs FILE
// No npm package we can use ships the official SPDX 2.3 JSON schema, so this
// checks the rules of the SPDX 2.3 specification itself:
//  - a JSON schema written here from the spec (clauses 6-7 and 11; required
//    fields, types, the enumerations of referenceCategory,
//    primaryPackagePurpose and relationshipType, no unknown properties on the
//    document, creationInfo, packages, externalRefs and relationships);
//  - the value rules the spec states in prose: spdxVersion "SPDX-2.3",
//    dataLicense "CC0-1.0", the document's SPDXID "SPDXRef-DOCUMENT", every
//    SPDXID matching SPDXRef-[A-Za-z0-9.-]+ and unique, documentNamespace an
//    absolute URI without '#', created as YYYY-MM-DDThh:mm:ssZ, creators as
//    "Tool|Organization|Person: …", licenses NONE, NOASSERTION or a valid SPDX
//    license expression (spdx-expression-parse), filesAnalyzed false meaning
//    no hasFiles and no packageVerificationCode, purl locators that parse
//    (packageurl-js) and contain no spaces, relationships that refer to
//    elements that exist, and at least one DESCRIBES from the document.
// Exit 0 when valid, 1 when invalid (reasons on stderr), 2 on usage errors.
import { readFileSync } from 'node:fs'
import Ajv from 'ajv'
import { PackageURL } from 'packageurl-js'
import parseSpdx from 'spdx-expression-parse'

const file = process.argv[2]
if (!file) {
  console.error('usage: validate-spdx.mjs FILE')
  process.exit(2)
}

const str = { type: 'string' }
const strs = { type: 'array', items: str }
const checksum = {
  type: 'object',
  required: ['algorithm', 'checksumValue'],
  additionalProperties: false,
  properties: {
    algorithm: {
      enum: ['SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512', 'SHA3-256', 'SHA3-384', 'SHA3-512',
        'BLAKE2b-256', 'BLAKE2b-384', 'BLAKE2b-512', 'BLAKE3', 'MD2', 'MD4', 'MD5', 'MD6', 'ADLER32']
    },
    checksumValue: { type: 'string', pattern: '^[0-9a-f]+$' }
  }
}
const annotation = {
  type: 'object',
  required: ['annotationDate', 'annotationType', 'annotator', 'comment'],
  additionalProperties: false,
  properties: { annotationDate: str, annotationType: { enum: ['OTHER', 'REVIEW'] }, annotator: str, comment: str }
}
const relationshipTypes = ['DESCRIBES', 'DESCRIBED_BY', 'CONTAINS', 'CONTAINED_BY', 'DEPENDS_ON',
  'DEPENDENCY_OF', 'DEPENDENCY_MANIFEST_OF', 'BUILD_DEPENDENCY_OF', 'DEV_DEPENDENCY_OF',
  'OPTIONAL_DEPENDENCY_OF', 'PROVIDED_DEPENDENCY_OF', 'TEST_DEPENDENCY_OF', 'RUNTIME_DEPENDENCY_OF',
  'EXAMPLE_OF', 'GENERATES', 'GENERATED_FROM', 'ANCESTOR_OF', 'DESCENDANT_OF', 'VARIANT_OF',
  'DISTRIBUTION_ARTIFACT', 'PATCH_FOR', 'PATCH_APPLIED', 'COPY_OF', 'FILE_ADDED', 'FILE_DELETED',
  'FILE_MODIFIED', 'EXPANDED_FROM_ARCHIVE', 'DYNAMIC_LINK', 'STATIC_LINK', 'DATA_FILE_OF',
  'TEST_CASE_OF', 'BUILD_TOOL_OF', 'DEV_TOOL_OF', 'TEST_OF', 'TEST_TOOL_OF', 'DOCUMENTATION_OF',
  'OPTIONAL_COMPONENT_OF', 'METAFILE_OF', 'PACKAGE_OF', 'AMENDS', 'PREREQUISITE_FOR', 'HAS_PREREQUISITE',
  'REQUIREMENT_DESCRIPTION_FOR', 'SPECIFICATION_FOR', 'OTHER']
const pkg = {
  type: 'object',
  required: ['SPDXID', 'name', 'downloadLocation'],
  additionalProperties: false,
  properties: {
    SPDXID: str,
    annotations: { type: 'array', items: annotation },
    attributionTexts: strs,
    builtDate: str,
    checksums: { type: 'array', items: checksum },
    comment: str,
    copyrightText: str,
    description: str,
    downloadLocation: str,
    externalRefs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['referenceCategory', 'referenceType', 'referenceLocator'],
        additionalProperties: false,
        properties: {
          comment: str,
          referenceCategory: { enum: ['SECURITY', 'PACKAGE-MANAGER', 'PERSISTENT-ID', 'OTHER'] },
          referenceType: str,
          referenceLocator: str
        }
      }
    },
    filesAnalyzed: { type: 'boolean' },
    hasFiles: strs,
    homepage: str,
    licenseComments: str,
    licenseConcluded: str,
    licenseDeclared: str,
    licenseInfoFromFiles: strs,
    name: str,
    originator: str,
    packageFileName: str,
    packageVerificationCode: {
      type: 'object',
      required: ['packageVerificationCodeValue'],
      additionalProperties: false,
      properties: { packageVerificationCodeExcludedFiles: strs, packageVerificationCodeValue: str }
    },
    primaryPackagePurpose: {
      enum: ['APPLICATION', 'FRAMEWORK', 'LIBRARY', 'CONTAINER', 'OPERATING_SYSTEM', 'DEVICE', 'FIRMWARE',
        'SOURCE', 'ARCHIVE', 'FILE', 'INSTALL', 'OTHER']
    },
    releaseDate: str,
    sourceInfo: str,
    summary: str,
    supplier: str,
    validUntilDate: str,
    versionInfo: str
  }
}
const schema = {
  type: 'object',
  required: ['spdxVersion', 'dataLicense', 'SPDXID', 'name', 'documentNamespace', 'creationInfo'],
  additionalProperties: false,
  properties: {
    spdxVersion: { const: 'SPDX-2.3' },
    dataLicense: { const: 'CC0-1.0' },
    SPDXID: { const: 'SPDXRef-DOCUMENT' },
    name: str,
    documentNamespace: str,
    comment: str,
    creationInfo: {
      type: 'object',
      required: ['created', 'creators'],
      additionalProperties: false,
      properties: {
        comment: str,
        created: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$' },
        creators: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', pattern: '^(Tool|Organization|Person): \\S' }
        },
        licenseListVersion: { type: 'string', pattern: '^\\d+\\.\\d+$' }
      }
    },
    externalDocumentRefs: { type: 'array' },
    hasExtractedLicensingInfos: { type: 'array' },
    annotations: { type: 'array', items: annotation },
    documentDescribes: strs,
    packages: { type: 'array', items: pkg },
    files: { type: 'array' },
    snippets: { type: 'array' },
    relationships: {
      type: 'array',
      items: {
        type: 'object',
        required: ['spdxElementId', 'relationshipType', 'relatedSpdxElement'],
        additionalProperties: false,
        properties: {
          spdxElementId: str,
          relationshipType: { enum: relationshipTypes },
          relatedSpdxElement: str,
          comment: str
        }
      }
    },
    revieweds: { type: 'array' }
  }
}

const problems = []
const doc = JSON.parse(readFileSync(file, 'utf8'))
const ajv = new Ajv({ allErrors: true, strict: true })
const validate = ajv.compile(schema)
if (!validate(doc)) {
  for (const e of validate.errors) problems.push(`schema: ${e.instancePath || '/'} ${e.message}`)
}

const idPattern = /^SPDXRef-[A-Za-z0-9.-]+$/
const ids = new Set(['SPDXRef-DOCUMENT'])
try {
  const u = new URL(doc.documentNamespace)
  if (!u.protocol || doc.documentNamespace.includes('#')) throw new Error('has a #')
} catch (e) {
  problems.push(`documentNamespace ${doc.documentNamespace} is not an absolute URI without '#': ${e.message}`)
}

function checkLicense (where, value) {
  if (value === undefined || value === 'NONE' || value === 'NOASSERTION') return
  try {
    parseSpdx(value)
  } catch (e) {
    problems.push(`${where}: "${value}" is not NONE, NOASSERTION or an SPDX license expression`)
  }
}

for (const p of doc.packages ?? []) {
  const where = `package ${p.SPDXID}`
  if (!idPattern.test(p.SPDXID ?? '')) problems.push(`${where}: SPDXID does not match SPDXRef-[A-Za-z0-9.-]+`)
  if (ids.has(p.SPDXID)) problems.push(`${where}: SPDXID used twice`)
  ids.add(p.SPDXID)
  const dl = p.downloadLocation
  if (dl !== 'NONE' && dl !== 'NOASSERTION' && !/^[a-z][a-z0-9+.-]*:\S+$/i.test(dl ?? '')) {
    problems.push(`${where}: downloadLocation ${dl} is not NONE, NOASSERTION or a location`)
  }
  if (p.filesAnalyzed === false && (p.hasFiles || p.packageVerificationCode)) {
    problems.push(`${where}: filesAnalyzed is false but it lists files or a verification code`)
  }
  checkLicense(`${where} licenseConcluded`, p.licenseConcluded)
  checkLicense(`${where} licenseDeclared`, p.licenseDeclared)
  for (const l of p.licenseInfoFromFiles ?? []) checkLicense(`${where} licenseInfoFromFiles`, l)
  for (const r of p.externalRefs ?? []) {
    if (/\s/.test(r.referenceLocator ?? '')) problems.push(`${where}: locator "${r.referenceLocator}" has spaces`)
    if (r.referenceType === 'purl') {
      if (r.referenceCategory !== 'PACKAGE-MANAGER') problems.push(`${where}: purl ref not in PACKAGE-MANAGER`)
      try {
        const u = PackageURL.fromString(r.referenceLocator)
        if (!u.type || !u.name) problems.push(`${where}: purl ${r.referenceLocator} has no type or name`)
      } catch (e) {
        problems.push(`${where}: purl ${r.referenceLocator} does not parse: ${e.message}`)
      }
    }
  }
}
for (const f of doc.files ?? []) ids.add(f.SPDXID)
for (const s of doc.snippets ?? []) ids.add(s.SPDXID)

let describes = (doc.documentDescribes ?? []).length
for (const id of doc.documentDescribes ?? []) {
  if (!ids.has(id)) problems.push(`documentDescribes ${id} names no element`)
}
for (const r of doc.relationships ?? []) {
  const known = (id) => ids.has(id) || id.startsWith('DocumentRef-')
  if (!known(r.spdxElementId)) problems.push(`relationship from ${r.spdxElementId}, which is not defined`)
  const to = r.relatedSpdxElement
  if (to !== 'NONE' && to !== 'NOASSERTION' && !known(to)) {
    problems.push(`relationship ${r.spdxElementId} ${r.relationshipType} ${to}: ${to} is not defined`)
  }
  if (r.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES') describes++
}
if (describes === 0) problems.push('the document DESCRIBES nothing')

if (problems.length) {
  console.error(`${file}: INVALID SPDX 2.3`)
  for (const p of problems) console.error('  ' + p)
  process.exit(1)
}
console.log(`${file}: valid SPDX 2.3 (${(doc.packages ?? []).length} packages, ${ids.size} SPDXIDs)`)
