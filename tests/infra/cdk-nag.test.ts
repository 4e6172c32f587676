import { Validations } from 'aws-cdk-lib'
import { Queue } from 'aws-cdk-lib/aws-sqs'
import { AwsSolutionsChecks } from 'cdk-nag'
import type { IConstruct } from 'constructs'
import { describe, expect, it } from 'vitest'
import { buildStack } from './synth.ts'

const CUSTOM_DOMAIN = {
  domainName: 'news.example.com',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-123456789abc',
}

/** Every finding cdk-nag still reports, as `severity rule: construct paths`. */
function findings(scope: IConstruct): string[] {
  return new AwsSolutionsChecks()
    .validateScope(scope)
    .violations.map(
      (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    )
}

/** Every acknowledgement recorded in the tree: rule id and reason. */
function acknowledgements(scope: IConstruct): { id: string; reason: string }[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  )
}

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['without a custom domain', {}],
    ['with a custom domain', CUSTOM_DOMAIN],
  ])('%s: no finding is left unacknowledged, errors or warnings', (_, context) => {
    // GIVEN the stack as deployed with that context
    const stack = buildStack(context)
    // WHEN cdk-nag checks it
    const left = findings(stack)
    // THEN nothing is left
    expect(left).toEqual([])
  })

  it('each acknowledgement names its rule and gives a reason', () => {
    // GIVEN
    const stack = buildStack()
    // WHEN
    // (aws-cdk-lib acknowledges some CloudFormation-Validate rules of its own constructs: not ours to explain)
    const acks = acknowledgements(stack).filter((ack) => !ack.id.startsWith('CloudFormation-Validate::'))
    // THEN
    expect(acks.length).toBeGreaterThan(0)
    for (const ack of acks) {
      expect(ack.id).toMatch(/^(AwsSolutions-[A-Z]+\d+(\[.+\])?|@aws-cdk\/[\w-]+:\w+)$/)
      expect(ack.reason.length, ack.id).toBeGreaterThan(60)
    }
    console.log(acks.map((a) => `${a.id}: ${a.reason}`).join('\n'))
  })

  it('CFR4 (TLS 1.0 viewers) is acknowledged only when the default certificate forces it', () => {
    expect(acknowledgements(buildStack()).map((a) => a.id)).toContain('AwsSolutions-CFR4')
    expect(acknowledgements(buildStack(CUSTOM_DOMAIN)).map((a) => a.id)).not.toContain('AwsSolutions-CFR4')
  })

  it('still reports what nobody acknowledged (the check can fail)', () => {
    // GIVEN the stack with one queue that has no DLQ and allows plain HTTP
    const stack = buildStack()
    new Queue(stack, 'Careless', {})
    // WHEN / THEN
    expect(findings(stack).join('\n')).toMatch(/AwsSolutions-SQS3: Finews\/Careless/)
  })
})
