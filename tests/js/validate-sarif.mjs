#!/usr/bin/env node
// Validates a SARIF 2.1.0 log written by lading:
//   node tests/js/validate-sarif.mjs FILE
// 1. against the SARIF 2.1.0 JSON schema (draft 2020-12) that Microsoft's
//    SARIF multitool package ships (@microsoft/sarif-multitool-linux,
//    sarif-2.1.0.json), with ajv and ajv-formats (uri, uri-reference,
//    date-time, uuid are checked);
// 2. against rules neither can express: rule ids unique, each result's
//    ruleIndex names the rule with its ruleId, every result has a
//    partialFingerprints entry, security-severity is a number 0.0-10.0 as a
//    string, artifact uris are relative (no leading '/');
// 3. with the SARIF multitool itself (`Sarif.Multitool validate`, when 1 and
//    2 passed): its JSON schema pass plus its SARIF1xxx/SARIF2xxx rules. Any
//    result of level "error" fails; warnings and notes are printed with
//    --verbose. The multitool's schema pass is not enough on its own: in
//    5.7.0 it reports schema errors only when the log does not deserialise
//    (a "level" outside the enum passes when the rest is well formed), hence
//    step 1. It skips files not named *.sarif, so it is given such a copy.
// Exit 0 when valid, 1 when invalid (reasons on stderr), 2 on usage errors or
// when a tool is missing.
import { readFileSync, writeFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

const args = process.argv.slice(2)
const verbose = args.includes('--verbose')
const file = args.find((a) => !a.startsWith('--'))
if (!file) {
  console.error('usage: validate-sarif.mjs [--verbose] FILE')
  process.exit(2)
}
const require = createRequire(import.meta.url)
let toolDir
try {
  toolDir = join(require.resolve('@microsoft/sarif-multitool-linux/package.json'), '..')
} catch (e) {
  console.error('validate-sarif.mjs: @microsoft/sarif-multitool-linux is not installed (run tests/js/setup.sh on Linux)')
  process.exit(2)
}

const problems = []
const text = readFileSync(file, 'utf8')
let log = null
try {
  log = JSON.parse(text)
} catch (e) {
  problems.push(`not JSON: ${e.message}`)
}

// 1. the JSON schema
if (log !== null) {
  const schema = JSON.parse(readFileSync(join(toolDir, 'sarif-2.1.0.json'), 'utf8'))
  const ajv = new Ajv2020({ allErrors: true, strict: false })
  addFormats(ajv)
  const validate = ajv.compile(schema)
  if (!validate(log)) {
    for (const e of validate.errors) problems.push(`schema: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`)
  }
}

// 2. rules the schema cannot express
if (log !== null && Array.isArray(log.runs)) {
  log.runs.forEach((run, r) => {
    const rules = run.tool?.driver?.rules ?? []
    const ids = new Set()
    rules.forEach((rule, i) => {
      if (ids.has(rule.id)) problems.push(`runs[${r}] rule id ${rule.id} is used twice`)
      ids.add(rule.id)
      const sev = rule.properties?.['security-severity']
      if (sev !== undefined) {
        const n = Number(sev)
        if (typeof sev !== 'string' || !/^\d+(\.\d+)?$/.test(sev) || n < 0 || n > 10) {
          problems.push(`runs[${r}].rules[${i}] security-severity ${JSON.stringify(sev)} is not a score 0.0-10.0`)
        }
      }
    })
    ;(run.results ?? []).forEach((res, i) => {
      if (res.ruleIndex !== undefined) {
        const rule = rules[res.ruleIndex]
        if (!rule) problems.push(`runs[${r}].results[${i}] ruleIndex ${res.ruleIndex} names no rule`)
        else if (res.ruleId !== undefined && rule.id !== res.ruleId) {
          problems.push(`runs[${r}].results[${i}] ruleId ${res.ruleId} but ruleIndex ${res.ruleIndex} is ${rule.id}`)
        }
      }
      if (!res.partialFingerprints || Object.keys(res.partialFingerprints).length === 0) {
        problems.push(`runs[${r}].results[${i}] has no partialFingerprints`)
      }
      for (const loc of res.locations ?? []) {
        const uri = loc.physicalLocation?.artifactLocation?.uri
        if (typeof uri === 'string' && uri.startsWith('/')) problems.push(`runs[${r}].results[${i}] artifact uri ${uri} is absolute`)
      }
    })
  })
}

// 3. the multitool (~2 s a run: skipped when the log already failed)
if (problems.length === 0) {
  const bin = join(toolDir, 'Sarif.Multitool')
  if (!existsSync(bin)) {
    console.error(`validate-sarif.mjs: ${bin} is missing`)
    process.exit(2)
  }
  const work = mkdtempSync(join(tmpdir(), 'lading-sarif-'))
  try {
    // The multitool silently skips ("WRN997.InvalidTarget") any file whose
    // name does not end in .sarif, so it gets a copy that does.
    const input = join(work, 'input.sarif')
    writeFileSync(input, text)
    const out = join(work, 'validation.sarif')
    const r = spawnSync(bin, ['validate', input, '--output', out, '--quiet', '--level', 'Error;Warning;Note'], { encoding: 'utf8', timeout: 300000 })
    if (r.error || r.status !== 0 || !existsSync(out)) {
      console.error(`validate-sarif.mjs: the multitool did not run: ${r.error ?? ''} status ${r.status}\n${r.stdout}${r.stderr}`)
      process.exit(2)
    }
    const report = JSON.parse(readFileSync(out, 'utf8'))
    let analysed = false
    // The multitool writes messages as an id into its rules' messageStrings
    // plus arguments; spell them out.
    const spell = (run, res) => {
      if (res.message?.text) return res.message.text
      const rule = (run.tool?.driver?.rules ?? []).find((r) => r.id === res.ruleId)
      const tmpl = rule?.messageStrings?.[res.message?.id]?.text
      if (!tmpl) return JSON.stringify(res.message)
      return tmpl.replace(/\{(\d+)\}/g, (_, n) => res.message.arguments?.[n] ?? '')
    }
    for (const run of report.runs ?? []) {
      for (const n of run.invocations?.flatMap((i) => [...(i.toolExecutionNotifications ?? []), ...(i.toolConfigurationNotifications ?? [])]) ?? []) {
        const id = n.descriptor?.id ?? ''
        if (n.level === 'error' || id.startsWith('WRN997') || id.startsWith('ERR')) {
          console.error(`validate-sarif.mjs: the multitool did not analyse the log: ${id} ${n.message?.text ?? ''}`)
          process.exit(2)
        }
      }
      for (const inv of run.invocations ?? []) if (inv.executionSuccessful) analysed = true
      for (const res of run.results ?? []) {
        if ((res.ruleId ?? '').startsWith('WRN997')) {
          console.error(`validate-sarif.mjs: the multitool skipped the log: ${res.message?.text ?? ''}`)
          process.exit(2)
        }
        const where = res.locations?.[0]?.physicalLocation?.region?.startLine
        const msg = `multitool ${res.ruleId}${where ? ` (line ${where})` : ''}: ${spell(run, res)}`
        if ((res.level ?? 'warning') === 'error') problems.push(msg)
        else if (verbose) console.error(`  ${res.level ?? 'warning'}: ${msg}`)
      }
    }
    if (!analysed) {
      console.error('validate-sarif.mjs: the multitool reports no successful run')
      process.exit(2)
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

if (problems.length) {
  console.error(`${file}: INVALID SARIF 2.1.0`)
  for (const p of problems) console.error('  ' + p)
  process.exit(1)
}
const nres = (log.runs ?? []).reduce((n, run) => n + (run.results?.length ?? 0), 0)
console.log(`${file}: valid SARIF 2.1.0 (${nres} results)`)
