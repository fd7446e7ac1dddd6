using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using QRCoder;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Hosting;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Pages.Account;

/// <summary>
/// Two-factor sign-in with an authenticator app (TOTP, RFC 6238): the shared key as a QR code (made here, no CDN) and
/// as text; a code from the app turns it on and shows ten recovery codes once. Required for admins (the admin area
/// sends them here, <see cref="AdminTwoFactorFilter"/>) and for changing a payout method; offered to everyone.
/// </summary>
[EnableRateLimiting(RateLimits.AccountForms)]
public sealed class TwoFactorModel(UserManager<AllianceUser> users, SignInManager<AllianceUser> signIn, AllianceDbContext db, AuditTrail audit,
    IStringLocalizer<SharedResource> localizer, ILogger<TwoFactorModel> logger) : PageModel
{
    public const string Issuer = "TaobaoAlliance";
    public const int RecoveryCodeCount = 10;

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    [BindProperty]
    [StringLength(20, ErrorMessage = "{0} can be at most {1} characters.")]
    [Display(Name = "Code")]
    public string? Code { get; set; }

    public bool Enabled { get; private set; }
    /// <summary>The shared key in groups of four, as the user types it into the app.</summary>
    public string? SharedKey { get; private set; }
    /// <summary>The raw key (one word), for the QR code and for tests.</summary>
    public string? RawKey { get; private set; }
    public string? QrCodeDataUri { get; private set; }
    /// <summary>Shown once, right after they are made.</summary>
    public IReadOnlyList<string> RecoveryCodes { get; private set; } = [];
    public int RecoveryCodesLeft { get; private set; }
    /// <summary>Admins cannot turn it off, so they are not offered the form.</summary>
    public bool IsAdmin { get; private set; }
    public bool TurnedOff { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Url.IsLocalUrl(ReturnUrl)) ReturnUrl = null;
        await LoadAsync(await MeAsync());
        return Page();
    }

    /// <summary>Turns two-factor sign-in on with the first code from the app, and signs this session in again as two-factor.</summary>
    public async Task<IActionResult> OnPostEnableAsync()
    {
        if (!Url.IsLocalUrl(ReturnUrl)) ReturnUrl = null;
        var me = await MeAsync();
        if (await users.GetTwoFactorEnabledAsync(me)) return RedirectToPage(new { ReturnUrl });
        if (!ModelState.IsValid || !await CodeIsRightAsync(me))
        {
            await LoadAsync(me);
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(me, true);
        RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(me, RecoveryCodeCount) ?? []];
        audit.Record(me.Id, "account.twofactor.enable", "user", me.Id, new { });
        await db.SaveChangesAsync();
        // This session proved the second factor just now: it counts as a two-factor sign-in (the admin area asks for that).
        await signIn.SignInWithClaimsAsync(me, isPersistent: false, [new Claim("amr", "mfa")]);
        logger.LogInformation("User {UserId} turned on two-factor sign-in", me.Id);
        await LoadAsync(me);
        return Page();
    }

    /// <summary>New recovery codes (the old ones stop working), with a current code from the app.</summary>
    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        if (!Url.IsLocalUrl(ReturnUrl)) ReturnUrl = null;
        var me = await MeAsync();
        if (!await users.GetTwoFactorEnabledAsync(me)) return RedirectToPage(new { ReturnUrl });
        if (!ModelState.IsValid || !await CodeIsRightAsync(me))
        {
            await LoadAsync(me);
            return Page();
        }
        RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(me, RecoveryCodeCount) ?? []];
        audit.Record(me.Id, "account.twofactor.recovery_codes", "user", me.Id, new { });
        await db.SaveChangesAsync();
        await LoadAsync(me);
        return Page();
    }

    /// <summary>
    /// Turns two-factor sign-in off, with a current code from the app; the key is replaced, so turning it on again means
    /// scanning a new one. Admins cannot: the admin area requires it.
    /// </summary>
    public async Task<IActionResult> OnPostDisableAsync()
    {
        if (!Url.IsLocalUrl(ReturnUrl)) ReturnUrl = null;
        var me = await MeAsync();
        if (!await users.GetTwoFactorEnabledAsync(me)) return RedirectToPage(new { ReturnUrl });
        if (await users.IsInRoleAsync(me, Roles.Admin))
        {
            ModelState.AddModelError("", localizer["Admins must keep two-factor sign-in on: the admin area requires it."]);
            await LoadAsync(me);
            return Page();
        }
        if (!ModelState.IsValid || !await CodeIsRightAsync(me))
        {
            await LoadAsync(me);
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(me, false);
        await users.ResetAuthenticatorKeyAsync(me);
        audit.Record(me.Id, "account.twofactor.disable", "user", me.Id, new { });
        await db.SaveChangesAsync();
        // The security stamp changed with the key: sign this session in again so only the other sessions end.
        await signIn.RefreshSignInAsync(me);
        logger.LogInformation("User {UserId} turned off two-factor sign-in", me.Id);
        TurnedOff = true;
        await LoadAsync(me);
        return Page();
    }

    private async Task<bool> CodeIsRightAsync(AllianceUser me)
    {
        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (code.Length > 0 && await users.VerifyTwoFactorTokenAsync(me, users.Options.Tokens.AuthenticatorTokenProvider, code)) return true;
        ModelState.AddModelError(nameof(Code), localizer["That code is not right. Check your authenticator app's clock, or use a recovery code."]);
        return false;
    }

    private async Task<AllianceUser> MeAsync()
    {
        var userId = User.UserId();
        return await users.Users.SingleAsync(u => u.Id == userId);
    }

    private async Task LoadAsync(AllianceUser me)
    {
        Enabled = await users.GetTwoFactorEnabledAsync(me);
        IsAdmin = await users.IsInRoleAsync(me, Roles.Admin);
        RecoveryCodesLeft = await users.CountRecoveryCodesAsync(me);
        if (Enabled) return;
        var key = await users.GetAuthenticatorKeyAsync(me);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(me);
            key = await users.GetAuthenticatorKeyAsync(me);
        }
        RawKey = key!;
        SharedKey = string.Join(' ', RawKey.ToLowerInvariant().Chunk(4).Select(c => new string(c)));
        var uri = string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(me.Email!)}?secret={RawKey}&issuer={Uri.EscapeDataString(Issuer)}&digits=6");
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.Q);
        var png = new PngByteQRCode(data).GetGraphic(5);
        QrCodeDataUri = "data:image/png;base64," + Convert.ToBase64String(png);
    }
}
