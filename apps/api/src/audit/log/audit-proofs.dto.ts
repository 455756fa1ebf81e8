import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

const MAX_SIZE = Number.MAX_SAFE_INTEGER;

export class ConsistencyQueryDto {
  @ApiProperty({ description: 'The smaller tree size (a checkpoint you hold)' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_SIZE)
  from!: number;

  @ApiProperty({ description: 'The larger tree size (at most the current tree size)' })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_SIZE)
  to!: number;
}

export class ProofQueryDto {
  @ApiPropertyOptional({ description: 'Prove against the checkpoint of this size (default: the latest)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_SIZE)
  treeSize?: number;
}

export class VerifyCheckpointDto {
  @ApiProperty({ description: 'A checkpoint note as GET /audit/checkpoint served it' })
  @IsString()
  @MaxLength(4096)
  checkpoint!: string;
}

export class ConsistencyProofDto {
  @ApiProperty() from!: number;
  @ApiProperty() to!: number;
  @ApiProperty({ description: 'Root of the tree of `from` leaves, base64' }) fromRoot!: string;
  @ApiProperty({ description: 'Root of the tree of `to` leaves, base64' }) toRoot!: string;
  @ApiProperty({ type: [String], description: 'RFC 9162 2.1.4 consistency proof, base64 hashes' })
  proof!: string[];
}

export class InclusionProofDto {
  @ApiProperty() eventId!: string;
  @ApiProperty({ description: "The event's leaf index (0-based, log order)" }) leafIndex!: number;
  @ApiProperty() treeSize!: number;
  @ApiProperty({ description: 'The leaf hash, base64' }) leafHash!: string;
  @ApiProperty({ type: [String], description: 'RFC 9162 2.1.3 inclusion proof, base64 hashes' })
  proof!: string[];
  @ApiProperty({ description: 'The signed checkpoint of treeSize the proof leads to' }) checkpoint!: string;
  @ApiProperty({ description: 'The verifier key that checks the checkpoint' }) verifierKey!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'The event itself as the log records it (eventId, type, streamId, revision, position, data, meta), for ' +
      'auditors and IG leads whose scope it is in',
  })
  event?: Record<string, unknown>;
}
