// Issue 13: what only a first real deployment would otherwise show (opt-in regions, a second region, alarms that
// never notify, the API reached around CloudFront). The synthesized template is the truth here.
import { App, CfnResource, Stack } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import { describe, expect, it } from 'vitest'
import { API_ORIGIN_HEADER } from '../../shared/http/origin.ts'
import { buildStack, cdkJsonContext, logicalId, statementsOfRole } from './synth.ts'

const stack = buildStack()
const template = Template.fromStack(stack)
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON, read by path
type Json = any
type Resource = { Type: string; Properties: Json; Condition?: string }
const json = template.toJSON() as {
  Resources: Record<string, Resource>
  Conditions?: Record<string, unknown>
}
const resources = Object.entries(json.Resources)
const ofType = (type: string) => resources.filter(([, r]) => r.Type === type)
const distribution = () => ofType('AWS::CloudFront::Distribution')[0]![1].Properties.DistributionConfig

describe('opt-in regions: no legacy CloudFront logging to a bucket', () => {
  it('the distribution has no legacy Logging and no bucket uses ACLs', () => {
    expect(distribution().Logging).toBeUndefined()
    for (const [id, bucket] of ofType('AWS::S3::Bucket')) {
      expect(bucket.Properties.AccessControl, id).toBeUndefined()
      expect(bucket.Properties.OwnershipControls, id).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] })
    }
  })

  it('request logs use standard logging v2 (CloudWatch Logs delivery), created only where CloudFront takes it', () => {
    const [[sourceId, source]] = ofType('AWS::Logs::DeliverySource') as [[string, Resource]]
    expect(source.Properties).toMatchObject({
      LogType: 'ACCESS_LOGS',
      ResourceArn: { 'Fn::Join': ['', expect.arrayContaining([{ Ref: logicalId(stack, stack.site.distribution) }])] },
    })
    const [[destinationId, destination]] = ofType('AWS::Logs::DeliveryDestination') as [[string, Resource]]
    expect(JSON.stringify(destination.Properties.DestinationResourceArn)).toContain(':log-group:')
    const [[, delivery]] = ofType('AWS::Logs::Delivery') as [[string, Resource]]
    expect(delivery.Properties).toEqual({
      DeliverySourceName: { Ref: sourceId },
      DeliveryDestinationArn: { 'Fn::GetAtt': [destinationId, 'Arn'] },
    })
    // THEN all three (and their log group) exist only when the stack's region is us-east-1
    const conditioned = resources.filter(([, r]) => r.Condition !== undefined)
    expect(conditioned.map(([, r]) => r.Type).sort()).toEqual([
      'AWS::Logs::Delivery',
      'AWS::Logs::DeliveryDestination',
      'AWS::Logs::DeliverySource',
      'AWS::Logs::LogGroup',
    ])
    for (const [, r] of conditioned) {
      expect(json.Conditions?.[r.Condition!]).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] })
    }
  })
})

describe('a second region in one account', () => {
  it('every account-wide name (CloudFront policies, origin access controls, functions, log deliveries) has the region in it', () => {
    const names: [string, unknown][] = []
    const collect = (id: string, value: unknown, depth: number) => {
      if (depth > 2 || value === null || typeof value !== 'object') return
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
        if (key === 'Name') names.push([id, inner])
        else collect(id, inner, depth + 1)
      }
    }
    for (const [id, r] of resources) {
      if (r.Type.startsWith('AWS::CloudFront::') || r.Type.startsWith('AWS::Logs::Delivery'))
        collect(id, r.Properties, 0)
    }
    // GIVEN at least the response headers policy, the share cache policy, both access controls, the function
    expect(names.length).toBeGreaterThanOrEqual(5)
    for (const [id, name] of names) expect(JSON.stringify(name), id).toContain('"Ref":"AWS::Region"')
  })
})

describe('alarms reach someone', () => {
  const topicId = logicalId(stack, stack.alarmTopic)

  it('the alarm topic allows CloudWatch to publish (its own policy replaces the default one)', () => {
    const [[, policy]] = ofType('AWS::SNS::TopicPolicy') as [[string, Resource]]
    expect(policy.Properties.Topics).toEqual([{ Ref: topicId }])
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: topicId },
      }),
    )
  })

  it('every alarm notifies the topic', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm')
    expect(alarms.length).toBeGreaterThanOrEqual(6)
    for (const [id, alarm] of alarms) expect(alarm.Properties.AlarmActions, id).toEqual([{ Ref: topicId }])
  })

  it('every queue, the dead-letter queue included, has an alarm on visible messages', () => {
    const queues = ofType('AWS::SQS::Queue')
    expect(queues.length).toBeGreaterThanOrEqual(2)
    const watched = ofType('AWS::CloudWatch::Alarm')
      .filter(([, a]) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible')
      .map(([, a]) => JSON.stringify(a.Properties.Dimensions))
    for (const [id] of queues) {
      expect(watched, id).toContainEqual(
        JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }]),
      )
    }
  })
})

describe('the API only through CloudFront', () => {
  const apiOrigin = () => {
    const apiPath = distribution().CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/api/*')
    return distribution().Origins.find((o: { Id: string }) => o.Id === apiPath.TargetOriginId)
  }

  it('/healthz goes to the API, uncached, GET and HEAD only', () => {
    const healthz = distribution().CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/healthz')
    expect(healthz).toMatchObject({
      TargetOriginId: apiOrigin().Id,
      AllowedMethods: ['GET', 'HEAD'],
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
    })
  })

  it('CloudFront sends the origin secret to the API, and the api function reads that secret', () => {
    const secretId = logicalId(stack, stack.apiOriginSecret)
    expect(apiOrigin().OriginCustomHeaders).toEqual([
      {
        HeaderName: API_ORIGIN_HEADER,
        HeaderValue: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']] },
      },
    ])
    const api = ofType('AWS::Lambda::Function').find(([, f]) =>
      String(f.Properties.Description).startsWith('finews api:'),
    )
    expect(api![1].Properties.Environment.Variables.ORIGIN_SECRET_ARN).toEqual({ Ref: secretId })
    expect(statementsOfRole(template, logicalId(stack, stack.api.role))).toContainEqual(
      expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: { Ref: secretId } }),
    )
  })
})

describe('CloudFormation validation fails the synth', () => {
  it('cdk.json turns validateAgainstDefaultRules on', () => {
    expect(cdkJsonContext()['@aws-cdk/core:validateAgainstDefaultRules']).toBe(true)
  })

  it('with that context, a template CloudFormation would reject does not synthesize', () => {
    const broken = (context: Record<string, unknown>) => {
      const app = new App({ context })
      const scope = new Stack(app, 'Broken')
      // A queue whose retention is no number: CloudFormation's schema rejects it at deploy.
      new CfnResource(scope, 'Queue', { type: 'AWS::SQS::Queue', properties: { MessageRetentionPeriod: 'a week' } })
      return () => app.synth()
    }
    expect(broken(cdkJsonContext())).toThrow()
    expect(broken({})).not.toThrow()
  })
})
