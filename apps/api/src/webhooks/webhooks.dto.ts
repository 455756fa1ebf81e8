import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { MAX_WEBHOOK_URL_LENGTH } from '@accord/domain';

export class ConfigureWebhookDto {
  @ApiProperty({
    example: 'https://hooks.example.org/accord',
    maxLength: MAX_WEBHOOK_URL_LENGTH,
    description: 'https only; no credentials; no loopback, private or link-local address',
  })
  @IsString()
  @MaxLength(MAX_WEBHOOK_URL_LENGTH)
  url!: string;
}

export class WebhookDto {
  @ApiProperty() orgId!: string;
  @ApiProperty() url!: string;
  @ApiProperty({
    description: 'Names the signing secret in use; it changes each time the webhook is configured',
  })
  secretId!: string;
  @ApiProperty({ description: 'ISO-8601 UTC' }) configuredAt!: string;
}

export class ConfiguredWebhookDto extends WebhookDto {
  @ApiProperty({
    example: 'whsec_3q2-7w...',
    description:
      'The signing secret, shown this once: it is derived when needed and stored nowhere. Configure again to rotate it.',
  })
  secret!: string;
}

export class WebhookDeliveryDto {
  @ApiProperty({ description: 'Sent as Accord-Webhook-Id on every attempt: receivers de-duplicate on it' })
  id!: string;
  @ApiProperty({ example: 'breach.partners-notified' }) type!: string;
  @ApiProperty() breachId!: string;
  @ApiProperty({ description: 'ISO-8601 UTC' }) createdAt!: string;
  @ApiProperty({ enum: ['pending', 'attempting', 'failed', 'delivered', 'abandoned'] }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ nullable: true, type: String }) nextAttemptAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) lastAttemptAt!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: "The receiver's last HTTP status" })
  lastStatus!: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'connection-refused' }) lastError!: string | null;
  @ApiProperty({ nullable: true, type: String }) finishedAt!: string | null;
}

export class WebhookDeliveryListDto {
  @ApiProperty({ type: [WebhookDeliveryDto] }) items!: WebhookDeliveryDto[];
}
