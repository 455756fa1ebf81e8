import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { INBOX_CURSOR } from '@accord/projections';

export const DEFAULT_INBOX_LIMIT = 50;
export const MAX_INBOX_LIMIT = 500;

export class ListInboxQueryDto {
  @ApiPropertyOptional({ description: "The previous page's nextAfter" })
  @IsOptional()
  @IsString()
  @Matches(INBOX_CURSOR, { message: "after is a previous page's nextAfter" })
  after?: string;

  @ApiPropertyOptional({ default: DEFAULT_INBOX_LIMIT, minimum: 1, maximum: MAX_INBOX_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_INBOX_LIMIT)
  limit?: number;
}

export class InboxItemDto {
  @ApiProperty() id!: string;
  @ApiProperty({
    enum: [
      'document-shared',
      'document-destroyed',
      'document-erased',
      'document-superseded',
      'document-revoked',
    ],
    description:
      'What happened: a document was shared with you, or one you received was destroyed, erased, superseded or revoked',
  })
  kind!: string;
  @ApiProperty() documentId!: string;
  @ApiProperty({ description: 'When it happened' }) occurredAt!: string;
  @ApiProperty({ description: 'You opened the document since' }) read!: boolean;
  @ApiProperty({ type: String, nullable: true }) readAt!: string | null;
  @ApiProperty() agreementId!: string;
  @ApiProperty() agreementVersion!: number;
  @ApiProperty() senderOrg!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The user who shared it' }) sharedBy!:
    string | null;
  @ApiProperty() title!: string;
  @ApiProperty() purpose!: string;
  @ApiProperty({ enum: ['fact', 'opinion', 'mixed'] }) nature!: string;
  @ApiProperty() sharedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'On a supersession: the corrected document' })
  supersededBy!: string | null;
}

export class InboxListDto {
  @ApiProperty({ type: [InboxItemDto], description: 'Unread first, then newest first' })
  items!: InboxItemDto[];
  @ApiProperty({ description: 'Unread entries in the whole inbox' }) unread!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `after` for the next page' })
  nextAfter!: string | null;
}
