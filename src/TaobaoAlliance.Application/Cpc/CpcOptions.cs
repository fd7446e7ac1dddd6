using System.ComponentModel.DataAnnotations;

namespace TaobaoAlliance.Application.Cpc;

/// <summary>Secrets and timings of the smart-zone auction, bound from the <c>Cpc</c> section and validated at start-up.</summary>
public sealed class CpcOptions : IValidatableObject
{
    public const string Section = "Cpc";

    /// <summary>
    /// Base64 key (at least 32 bytes) that signs the click tokens of served ads. Whoever holds it can mint
    /// paid clicks: keep it secret, and the same on every instance. A new key voids the ads already served.
    /// </summary>
    [Required] public string TokenKey { get; set; } = "";

    /// <summary>
    /// How often counted ad views are written to campaigns.impressions (and always at shutdown). Each write is one
    /// statement for all campaigns; longer only delays the quality score other nodes see.
    /// </summary>
    [Range(100, 60_000)] public int ImpressionFlushMilliseconds { get; set; } = 1_000;

    /// <summary>
    /// How old the auction's view of spend, budgets and wallets may get before it is read again (in the background; see
    /// AdCampaigns). This node's own charges and deposits are in at once; other nodes' within this time.
    /// </summary>
    [Range(50, 60_000)] public int AdStateRefreshMilliseconds { get; set; } = 1_000;

    public byte[] TokenKeyBytes() => Convert.FromBase64String(TokenKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var bytes = new byte[TokenKey.Length];
        if (!Convert.TryFromBase64String(TokenKey, bytes, out var length) || length < 32)
        {
            yield return new ValidationResult("Cpc:TokenKey must be base64 of at least 32 random bytes.", [nameof(TokenKey)]);
        }
    }
}
