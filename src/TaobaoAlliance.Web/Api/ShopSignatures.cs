using System.Security.Cryptography;
using System.Text;

namespace TaobaoAlliance.Web.Api;

/// <summary>
/// How a shop's server authenticates to the API: <c>X-Alliance-Signature: sha256=&lt;hex HMAC-SHA256 of
/// the raw body&gt;</c> keyed with the shop's Orders API secret (as GitHub and Stripe sign webhooks).
/// </summary>
public static class ShopSignatures
{
    public const string Header = "X-Alliance-Signature";

    /// <summary>Checked when the shop is unknown, so that a 404 takes as long as a 401.</summary>
    private const string DummySecret = "unknown-shop-dummy-key";

    /// <summary>Computes the signature a store must send for <paramref name="body"/>.</summary>
    public static string Sign(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Constant-time comparison; a null secret (unknown shop, or no secret yet) never matches.</summary>
    public static bool Matches(byte[] body, string? secret, string? header)
    {
        var expected = Encoding.ASCII.GetBytes(Sign(body, secret ?? DummySecret));
        var given = Encoding.ASCII.GetBytes((header ?? "").Trim().ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given) && secret is not null;
    }

    /// <summary>The raw body (the signature covers its exact bytes), or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
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
}
