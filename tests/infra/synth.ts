import { readFileSync } from 'node:fs'
import { App, type CfnResource, type Stack } from 'aws-cdk-lib'
import type { Template } from 'aws-cdk-lib/assertions'
import type { IConstruct } from 'constructs'
import { FinewsStack } from '../../infra/finews-stack.ts'
import { readSettings } from '../../infra/settings.ts'

/** The context of cdk.json: `new App()` outside the CLI does not read it. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context?: Record<string, unknown>
  }
  return cdkJson.context ?? {}
}

/**
 * The stack as `cdk synth` builds it, with extra context. Bundling is skipped unless asked for: such a template
 * is for assertions only, never for a deployment.
 */
export function buildStack(
  context: Record<string, unknown> = {},
  options: { bundle?: boolean; outdir?: string } = {},
): FinewsStack {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: { ...cdkJsonContext(), ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...context },
  })
  return new FinewsStack(app, 'Finews', { settings: readSettings(app.node) })
}

/** The logical id CloudFormation gives a construct's resource. */
export function logicalId(stack: Stack, construct: IConstruct): string {
  const resource = (construct.node.defaultChild ?? construct) as CfnResource
  return stack.getLogicalId(resource)
}

/** Every IAM action granted to a role, across its policies, sorted. */
export function actionsOfRole(template: Template, roleLogicalId: string): string[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: roleLogicalId }] },
  })
  const actions = Object.values(policies).flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Effect: string }[]).flatMap(
      (statement) => (statement.Effect === 'Allow' ? [statement.Action].flat() : []),
    ),
  )
  return [...new Set(actions)].sort()
}

/** The statements of a role's policies (Allow only). */
export function statementsOfRole(
  template: Template,
  roleLogicalId: string,
): { Action: string | string[]; Resource: unknown }[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: roleLogicalId }] },
  })
  return Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement)
}
