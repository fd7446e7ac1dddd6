using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Accounts;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Audit;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Web.Api;
using TaobaoAlliance.Web.Store;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Pages.Account;

/// <summary>
/// The signed-in user's profile: name, and for webmasters the API key for their own tools. A new key
/// is shown once, right after it is made; only its hash is kept, so rotating is the only way to see one again.
/// </summary>
public sealed class ProfileModel(AllianceDbContext db, AuditTrail audit, UserManager<AllianceUser> users, MyData myData, TimeProvider clock) : PageModel
{
    public const string KeyPrefix = "ta_live_";

    public sealed class ProfileInput
    {
        [Required(ErrorMessage = "{0} is required.")]
        [StringLength(100, ErrorMessage = "{0} must be at most {1} characters long.")]
        [Display(Name = "Display name")]
        public string DisplayName { get; set; } = "";
    }

    [BindProperty] public ProfileInput Input { get; set; } = new();
    public AllianceUser Me { get; private set; } = null!;
    public IList<string> RolesOfMe { get; private set; } = [];
    public Webmaster? WebmasterOfMe { get; private set; }

    /// <summary>The key just made: shown this once and never again.</summary>
    public string? NewApiKey { get; private set; }

    public bool Saved { get; private set; }

    public async Task OnGetAsync()
    {
        await LoadAsync();
        Input.DisplayName = Me.DisplayName;
    }

    public async Task<IActionResult> OnPostNameAsync()
    {
        await LoadAsync();
        if (!ModelState.IsValid) return Page();
        Me.DisplayName = Input.DisplayName.Trim();
        await users.UpdateAsync(Me);
        Saved = true;
        return Page();
    }

    public async Task<IActionResult> OnPostRotateKeyAsync()
    {
        await LoadAsync();
        Input.DisplayName = Me.DisplayName;
        if (WebmasterOfMe is null) return NotFound();

        NewApiKey = KeyPrefix + new string(RandomNumberGenerator.GetItems<char>("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32));
        WebmasterOfMe.ApiKeyHash = ApiKeys.Hash(NewApiKey);
        WebmasterOfMe.ApiKeyPrefix = NewApiKey[..12];
        audit.Record(Me.Id, "apikey.rotate", "webmaster", WebmasterOfMe.Id, new { });
        await db.SaveChangesAsync();
        return Page();
    }

    /// <summary>
    /// "Download my data": everything personal the platform holds about the signed-in user, as a JSON file
    /// (<see cref="MyData"/> says what is in it and which secrets are left out). Never cached: it is one person's data.
    /// </summary>
    public async Task<IActionResult> OnGetMyDataAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var export = await myData.ReadAsync(User.UserId(), now, ct);
        Response.Headers.CacheControl = "no-store";
        var name = string.Create(CultureInfo.InvariantCulture, $"alliance-my-data-{ChinaTime.DayOf(now):yyyyMMdd}.json");
        return File(JsonSerializer.SerializeToUtf8Bytes(export, ExportJson), "application/json", name);
    }

    private static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Chinese names and titles as characters, readable in any editor.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    private async Task LoadAsync()
    {
        var userId = User.UserId();
        Me = await users.Users.SingleAsync(u => u.Id == userId);
        RolesOfMe = await users.GetRolesAsync(Me);
        WebmasterOfMe = await db.Webmasters.SingleOrDefaultAsync(w => w.UserId == userId);
    }
}
