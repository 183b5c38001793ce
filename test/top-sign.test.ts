import { describe, expect, it } from 'vitest';
import { sign } from '../shared/top/sign.js';

// The known-answer vector of docs/top-protocol.md §4.
const vector = {
  method: 'taobao.item.seller.get',
  app_key: '12345678',
  session: 'test',
  timestamp: '2016-01-01 12:00:00',
  format: 'json',
  v: '2.0',
  fields: 'num_iid,title,nick,price,num',
  num_iid: '11223344',
};

describe('sign', () => {
  it('matches the md5 vector', () => {
    expect(sign({ ...vector, sign_method: 'md5' }, 'helloworld', 'md5')).toBe('66987CB115214E59E6EC978214934FB8');
  });

  it('matches the hmac vector', () => {
    expect(sign({ ...vector, sign_method: 'hmac' }, 'helloworld', 'hmac')).toBe('D56D7858309C31B6251083A874D48273');
  });

  it('matches the hmac-sha256 vector', () => {
    expect(sign({ ...vector, sign_method: 'hmac-sha256' }, 'helloworld', 'hmac-sha256')).toBe(
      '04DB15AD0774D5CFCE2C837DE43E3FCEA9011ED74F3038FB6AB5F3C4CEA119E8',
    );
  });

  it('leaves an existing sign parameter out of the signature', () => {
    const params = { ...vector, sign_method: 'md5' };
    expect(sign({ ...params, sign: 'ANYTHING' }, 'helloworld', 'md5')).toBe(sign(params, 'helloworld', 'md5'));
  });

  it('signs Chinese text as UTF-8, in key order, without separators', async () => {
    const { createHash } = await import('node:crypto');
    const params = { car_no: '浙A12345', car_type: '宝马 x5 2018', action: 'arrive' };
    const concat = 'actionarrivecar_no浙A12345car_type宝马 x5 2018';
    const expected = createHash('md5')
      .update(Buffer.from(`s${concat}s`, 'utf8'))
      .digest('hex')
      .toUpperCase();
    expect(sign(params, 's', 'md5')).toBe(expected);
    // The same text read as Latin-1 would give another digest: the encoding matters.
    expect(
      createHash('md5')
        .update(Buffer.from(`s${concat}s`, 'latin1'))
        .digest('hex')
        .toUpperCase(),
    ).not.toBe(expected);
  });

  it('orders keys by byte value, so upper case sorts before lower case', async () => {
    const { createHash } = await import('node:crypto');
    const expected = createHash('md5').update('kB3a1b2k').digest('hex').toUpperCase();
    expect(sign({ b: '2', a: '1', B: '3' }, 'k', 'md5')).toBe(expected);
  });
});
