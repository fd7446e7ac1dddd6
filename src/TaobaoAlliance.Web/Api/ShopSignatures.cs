using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TaobaoAlliance.Web.Api;

/// <summary>
/// How a shop's server authenticates to the API, keyed with the shop's API secret (as Stripe signs webhooks):
/// <c>X-Alliance-Signature: t=&lt;unix seconds&gt;,sha256=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;raw body&gt;"&gt;</c>.
/// The time is signed with the body and must be within <see cref="MaxSkew"/> of ours, so a captured request
/// cannot be sent again later. The Orders API also takes the first form, <c>sha256=&lt;hex HMAC of the raw
/// body&gt;</c>: its events are idempotent, so a replay changes nothing there; the item import is not, and
/// requires the timestamp.
/// </summary>
public static class ShopSignatures
{
    public const string Header = "X-Alliance-Signature";

    /// <summary>How far the signed time may be from ours, either way (clocks drift; requests queue).</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    /// <summary>Checked when the shop is unknown, so an unknown shop costs the same work as a wrong signature.</summary>
    private static readonly byte[] DummySecret = Encoding.UTF8.GetBytes("unknown-shop-dummy-key-0123456789abcdef");

    /// <summary>The header a store must send for <paramref name="body"/> signed at <paramref name="at"/>.</summary>
    public static string Sign(byte[] body, string secret, DateTimeOffset at)
    {
        var t = at.ToUnixTimeSeconds();
        return $"t={t.ToString(CultureInfo.InvariantCulture)},sha256={Convert.ToHexStringLower(Mac(Encoding.UTF8.GetBytes(secret), t, body))}";
    }

    /// <summary>The first form, over the body alone (Orders API only): replayable, kept for existing stores.</summary>
    public static string SignBodyOnly(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>
    /// True when <paramref name="header"/> signs <paramref name="body"/> with <paramref name="secret"/> (null: the
    /// shop is unknown or has no secret — never true, after the same work) at a time within <see cref="MaxSkew"/>
    /// of <paramref name="now"/>. Constant-time comparison.
    /// </summary>
    public static bool Verify(byte[] body, string? secret, string? header, DateTimeOffset now, bool acceptBodyOnly)
    {
        var key = secret is null ? DummySecret : Encoding.UTF8.GetBytes(secret);
        var (timestamp, given) = Parse(header);
        byte[] expected;
        var timely = true;
        if (timestamp is { } t)
        {
            expected = Mac(key, t, body);
            timely = Math.Abs(now.ToUnixTimeSeconds() - t) <= (long)MaxSkew.TotalSeconds;
        }
        else
        {
            expected = HMACSHA256.HashData(key, body);
            timely = acceptBodyOnly;
        }
        var matches = given is not null && CryptographicOperations.FixedTimeEquals(expected, given);
        return matches & timely & (secret is not null);
    }

    /// <summary>
    /// The one refusal for a missing, wrong, stale or unknown-shop signature: the same body whatever the reason,
    /// so it does not tell which shops exist.
    /// </summary>
    public static ProblemHttpResult Refused(bool acceptBodyOnly) =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Bad signature",
            detail: $"{Header} must be t=<unix seconds>,sha256=<hex HMAC-SHA256 of \"<t>.<raw body>\" keyed with the shop's API secret>, "
                + $"signed within {MaxSkew.TotalMinutes:0} minutes of now"
                + (acceptBodyOnly ? " (or, for this API, sha256=<hex HMAC-SHA256 of the raw body>)." : "."));

    /// <summary>413 for a body over the route's limit.</summary>
    public static ProblemHttpResult TooLarge(int maxBytes) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large",
            detail: maxBytes >= 1024 * 1024 ? $"At most {maxBytes / 1024 / 1024} MB; split the file." : $"At most {maxBytes / 1024} KB.");

    /// <summary>The raw body (the signature covers its exact bytes), or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > maxBytes) return null; // declared too large: not worth reading
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static byte[] Mac(byte[] key, long timestamp, byte[] body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var payload = new byte[prefix.Length + body.Length];
        prefix.CopyTo(payload, 0);
        body.CopyTo(payload, prefix.Length);
        return HMACSHA256.HashData(key, payload);
    }

    /// <summary>"t=…,sha256=…" or "sha256=…"; anything else gives no digest (which never matches).</summary>
    private static (long? Timestamp, byte[]? Digest) Parse(string? header)
    {
        long? timestamp = null;
        byte[]? digest = null;
        foreach (var part in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal)
                && long.TryParse(part.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (part.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase) && part.Length == 7 + 64)
            {
                try
                {
                    digest = Convert.FromHexString(part.AsSpan(7));
                }
                catch (FormatException)
                {
                    digest = null;
                }
            }
        }
        return (timestamp, digest);
    }
}
