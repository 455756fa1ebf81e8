import { ArgumentMetadata } from '@nestjs/common';
import { Expose, Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
import { createValidationPipe } from './validation.pipe';

class OptionalQuery {
  @IsOptional()
  @IsString()
  @MaxLength(5)
  purpose?: string;
}

class RequiredQuery {
  @IsString()
  name!: string;
}

class DefaultedQuery {
  @Expose()
  @Transform(({ value }: { value: unknown }) => value ?? 20)
  @IsInt()
  limit!: number;
}

const query = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'query', metatype });

describe('the edge validation pipe', () => {
  it('answers an empty query with a fresh instance of an all-optional DTO, every time', async () => {
    const pipe = createValidationPipe();
    const first = await pipe.transform({}, query(OptionalQuery));
    const second = await pipe.transform({}, query(OptionalQuery));
    expect(first).toBeInstanceOf(OptionalQuery);
    expect(second).toBeInstanceOf(OptionalQuery);
    expect(second).not.toBe(first);
    expect(Reflect.ownKeys(second as object)).toEqual([]);
  });

  it('still validates a query that is not empty after an empty one passed', async () => {
    const pipe = createValidationPipe();
    await pipe.transform({}, query(OptionalQuery));
    await expect(pipe.transform({ purpose: 'far too long' }, query(OptionalQuery))).rejects.toMatchObject({
      code: 'validation-failed',
    });
    await expect(pipe.transform({ other: 'x' }, query(OptionalQuery))).rejects.toMatchObject({
      code: 'validation-failed',
    });
  });

  it('refuses an empty query for a DTO with a required field each time it comes', async () => {
    const pipe = createValidationPipe();
    for (let i = 0; i < 2; i++)
      await expect(pipe.transform({}, query(RequiredQuery))).rejects.toMatchObject({
        code: 'validation-failed',
      });
  });

  it("keeps a DTO's transforms for an empty query: a default is set every time", async () => {
    const pipe = createValidationPipe();
    for (let i = 0; i < 2; i++)
      expect(await pipe.transform({}, query(DefaultedQuery))).toEqual({ limit: 20 });
  });
});
