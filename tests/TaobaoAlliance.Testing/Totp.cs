using System.Buffers.Binary;
using System.Security.Cryptography;

namespace TaobaoAlliance.Testing;

/// <summary>
/// An authenticator app in a few lines (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), computed here from the shared
/// key the page shows, so a test signs in with a code the way a phone would make it — not with one the server gave it.
/// </summary>
public static class Totp
{
    /// <summary>The demo admin's key (seeds/accounts.json, README).</summary>
    public const string DemoAdminKey = "TAOBAOALLIANCEDEMOADMINKEY234567";

    /// <summary>The demo accounts that sign in with two factors, and their keys.</summary>
    public static readonly IReadOnlyDictionary<string, string> DemoKeys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["admin@taobaoalliance.local"] = DemoAdminKey,
    };

    public static string Code(string base32Key, DateTimeOffset? at = null)
    {
        ArgumentNullException.ThrowIfNull(base32Key);
        var step = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds() / 30;
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
#pragma warning disable CA5350 // RFC 6238 as authenticator apps implement it (and Identity checks it) is HMAC-SHA1
        var hash = HMACSHA1.HashData(FromBase32(base32Key), counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset, 4)) & 0x7fffffff) % 1_000_000;
        return binary.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] FromBase32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = text.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in clean)
        {
            var value = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0) throw new FormatException($"'{c}' is not base32");
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }
        return [.. bytes];
    }
}
