using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;

namespace TaobaoAlliance.Application.Catalog;

/// <summary>The categories as every menu and choice shows them: in the admin's order, retired ones left out of new choices.</summary>
public static class CategoryQueries
{
    /// <summary>Every category in the admin's order (then by id).</summary>
    public static IOrderedQueryable<Category> InOrder(this IQueryable<Category> categories) =>
        categories.OrderBy(c => c.SortOrder).ThenBy(c => c.Id);

    /// <summary>
    /// The categories offered for something new (an item, a site, a campaign, the storefront menu), in order: not retired,
    /// plus <paramref name="keep"/> (what the thing being edited already has, so editing it does not move it).
    /// </summary>
    public static IOrderedQueryable<Category> Offered(this IQueryable<Category> categories, int? keep = null) =>
        categories.Where(c => c.RetiredAt == null || c.Id == keep).InOrder();

    /// <summary>As <see cref="Offered(IQueryable{Category}, int?)"/>, keeping every category in <paramref name="keep"/>.</summary>
    public static IOrderedQueryable<Category> Offered(this IQueryable<Category> categories, IReadOnlyCollection<int> keep) =>
        categories.Where(c => c.RetiredAt == null || keep.Contains(c.Id)).InOrder();
}

/// <summary>A category as the admin types it: the slug (fixed once created; CSV files name categories by it) and both names.</summary>
public sealed record CategoryRequest(long ActorUserId, string? Slug, string? NameEn, string? NameZh);

/// <summary>Why a change to a category was refused; nothing was written.</summary>
public enum CategoryRefusal
{
    NoSuchCategory, SlugInvalid, SlugTaken, NameEnMissing, NameZhMissing, NameEnTaken, NameZhTaken,
    HoldsItems, InUse, AlreadyRetired, NotRetired, AtTheEdge,
}

/// <summary>The category changed (its id), or every reason it was not; <see cref="Items"/> says how many items a refused delete found.</summary>
public sealed record CategoryOutcome(int? CategoryId, IReadOnlyList<CategoryRefusal> Refusals, int Items = 0)
{
    public bool Succeeded => Refusals.Count == 0;

    public static CategoryOutcome Refused(params CategoryRefusal[] refusals) => new(null, refusals);
}

/// <summary>A category in the admin's list: its items (all, and on sale now) and whether sites or campaigns use it.</summary>
public sealed record CategoryView(int Id, string Slug, string NameEn, string NameZh, int SortOrder, DateTimeOffset? RetiredAt,
    int Items, int ItemsOnSale, int Sites, int Campaigns)
{
    public bool Retired => RetiredAt is not null;

    /// <summary>Only a category nothing refers to can be deleted; the others can be retired.</summary>
    public bool Deletable => Items == 0 && Sites == 0 && Campaigns == 0;
}

/// <summary>
/// The admin's categories (issue 14): create, rename, move up or down, retire (no longer offered for new items, sites
/// or campaigns nor in the storefront menu; its items stay where they are) and restore, and delete one that nothing uses.
/// Names are unique in each language (case-insensitive), checked under a lock on the table so two admins cannot both take
/// one. Every change commits with its audit row; the storefront's cache hears of it from the categories trigger
/// (<c>NOTIFY storefront</c>) and, on this node, from its save interceptor.
/// </summary>
public sealed partial class CategoryAdmin(AllianceDbContext db, AuditTrail audit, TimeProvider clock)
{
    public const int NameMaxLength = 64;
    public const int SlugMaxLength = 64;

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    /// <summary>Every category in order, with its counts (one grouped query each).</summary>
    public async Task<IReadOnlyList<CategoryView>> ListAsync(CancellationToken ct = default)
    {
        var categories = await db.Categories.AsNoTracking().InOrder().ToListAsync(ct);
        var items = await db.Items.GroupBy(i => i.CategoryId)
            .Select(g => new { g.Key, All = g.Count(), OnSale = g.Count(i => i.IsOnSale) }).ToDictionaryAsync(x => x.Key, ct);
        var sites = await db.Sites.GroupBy(s => s.CategoryId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var campaigns = await db.Set<Data.Cpc.CampaignCategory>().GroupBy(c => c.CategoryId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return [.. categories.Select(c => new CategoryView(c.Id, c.Slug, c.NameEn, c.NameZh, c.SortOrder, c.RetiredAt,
            items.TryGetValue(c.Id, out var i) ? i.All : 0, i?.OnSale ?? 0, sites.GetValueOrDefault(c.Id), campaigns.GetValueOrDefault(c.Id)))];
    }

    public Task<Category?> FindAsync(int id, CancellationToken ct = default) =>
        db.Categories.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);

    public async Task<CategoryOutcome> CreateAsync(CategoryRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var slug = request.Slug?.Trim() ?? "";
        var (nameEn, nameZh) = (request.NameEn?.Trim() ?? "", request.NameZh?.Trim() ?? "");
        var refusals = CheckNames(nameEn, nameZh);
        if (slug.Length == 0 || slug.Length > SlugMaxLength || !SlugPattern().IsMatch(slug)) refusals.Insert(0, CategoryRefusal.SlugInvalid);
        if (refusals.Count > 0) return new(null, refusals);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await LockAsync(ct);
        if (await db.Categories.AnyAsync(c => c.Slug == slug, ct)) refusals.Add(CategoryRefusal.SlugTaken);
        refusals.AddRange(await TakenAsync(nameEn, nameZh, null, ct));
        if (refusals.Count > 0) return new(null, refusals);

        // Ids are not generated (the seeds name theirs): the smallest free one, found under the lock.
        var id = await db.Database.SqlQuery<int>($"""
            SELECT COALESCE(MIN(c.id) + 1, 1) AS "Value" FROM categories c
            WHERE NOT EXISTS (SELECT 1 FROM categories d WHERE d.id = c.id + 1) AND c.id < 2147483647
            """).SingleAsync(ct);
        if (!await db.Categories.AnyAsync(c => c.Id == 1, ct)) id = 1;
        var last = await db.Categories.MaxAsync(c => (int?)c.SortOrder, ct) ?? 0;
        var category = new Category { Id = id, Slug = slug, NameEn = nameEn, NameZh = nameZh, SortOrder = last + 1 };
        db.Categories.Add(category);
        audit.Record(request.ActorUserId, "category.create", "category", id, new { slug, nameEn, nameZh });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new(id, []);
    }

    /// <summary>New names for a category (its slug stays: CSV files name it).</summary>
    public async Task<CategoryOutcome> RenameAsync(int id, CategoryRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (nameEn, nameZh) = (request.NameEn?.Trim() ?? "", request.NameZh?.Trim() ?? "");
        var refusals = CheckNames(nameEn, nameZh);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await LockAsync(ct);
        if (await db.Categories.SingleOrDefaultAsync(c => c.Id == id, ct) is not { } category) return CategoryOutcome.Refused(CategoryRefusal.NoSuchCategory);
        if (refusals.Count > 0) return new(null, refusals);
        refusals.AddRange(await TakenAsync(nameEn, nameZh, id, ct));
        if (refusals.Count > 0) return new(null, refusals);
        if (category.NameEn == nameEn && category.NameZh == nameZh) return new(id, []);

        audit.Record(request.ActorUserId, "category.rename", "category", id,
            new { oldNameEn = category.NameEn, oldNameZh = category.NameZh, nameEn, nameZh });
        (category.NameEn, category.NameZh) = (nameEn, nameZh);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new(id, []);
    }

    /// <summary>Swaps the category with its neighbour above (<paramref name="up"/>) or below; the order is renumbered 1…n on the way.</summary>
    public async Task<CategoryOutcome> MoveAsync(int id, bool up, long actorUserId, CancellationToken ct = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await LockAsync(ct);
        var all = await db.Categories.InOrder().ToListAsync(ct);
        var index = all.FindIndex(c => c.Id == id);
        if (index < 0) return CategoryOutcome.Refused(CategoryRefusal.NoSuchCategory);
        var other = up ? index - 1 : index + 1;
        if (other < 0 || other >= all.Count) return CategoryOutcome.Refused(CategoryRefusal.AtTheEdge);
        (all[index], all[other]) = (all[other], all[index]);
        for (var i = 0; i < all.Count; i++) all[i].SortOrder = i + 1;
        audit.Record(actorUserId, "category.move", "category", id, new { direction = up ? "up" : "down", position = other + 1 });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new(id, []);
    }

    /// <summary>Retires the category (<paramref name="retire"/>) or offers it again.</summary>
    public async Task<CategoryOutcome> RetireAsync(int id, bool retire, long actorUserId, CancellationToken ct = default)
    {
        if (await db.Categories.SingleOrDefaultAsync(c => c.Id == id, ct) is not { } category) return CategoryOutcome.Refused(CategoryRefusal.NoSuchCategory);
        if (retire && category.RetiredAt is not null) return CategoryOutcome.Refused(CategoryRefusal.AlreadyRetired);
        if (!retire && category.RetiredAt is null) return CategoryOutcome.Refused(CategoryRefusal.NotRetired);
        category.RetiredAt = retire ? clock.GetUtcNow() : null;
        audit.Record(actorUserId, retire ? "category.retire" : "category.restore", "category", id, new { category.Slug, category.NameEn });
        await db.SaveChangesAsync(ct);
        return new(id, []);
    }

    /// <summary>Deletes a category nothing uses; one that holds items (or is a site's or campaign's) is refused, with its item count.</summary>
    public async Task<CategoryOutcome> DeleteAsync(int id, long actorUserId, CancellationToken ct = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await LockAsync(ct);
        if (await db.Categories.SingleOrDefaultAsync(c => c.Id == id, ct) is not { } category) return CategoryOutcome.Refused(CategoryRefusal.NoSuchCategory);
        // Items, sites and campaigns refer to it with restricting foreign keys; asking first gives a reason instead of an error.
        var items = await db.Items.CountAsync(i => i.CategoryId == id, ct);
        if (items > 0) return new(null, [CategoryRefusal.HoldsItems], items);
        if (await db.Sites.AnyAsync(s => s.CategoryId == id, ct) || await db.Set<Data.Cpc.CampaignCategory>().AnyAsync(c => c.CategoryId == id, ct)
            || await db.SubsidyProgrammes.AnyAsync(p => p.CategoryId == id, ct))
        {
            return CategoryOutcome.Refused(CategoryRefusal.InUse);
        }
        db.Categories.Remove(category);
        audit.Record(actorUserId, "category.delete", "category", id, new { category.Slug, category.NameEn, category.NameZh });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new(id, []);
    }

    private static List<CategoryRefusal> CheckNames(string nameEn, string nameZh)
    {
        var refusals = new List<CategoryRefusal>();
        if (nameEn.Length == 0 || nameEn.Length > NameMaxLength) refusals.Add(CategoryRefusal.NameEnMissing);
        if (nameZh.Length == 0 || nameZh.Length > NameMaxLength) refusals.Add(CategoryRefusal.NameZhMissing);
        return refusals;
    }

    private async Task<List<CategoryRefusal>> TakenAsync(string nameEn, string nameZh, int? except, CancellationToken ct)
    {
        // ILIKE without wildcards: the same name whatever its letter case.
        var (en, zh) = (Literal(nameEn), Literal(nameZh));
        var refusals = new List<CategoryRefusal>();
        if (await db.Categories.AnyAsync(c => c.Id != except && EF.Functions.ILike(c.NameEn, en, "\\"), ct)) refusals.Add(CategoryRefusal.NameEnTaken);
        if (await db.Categories.AnyAsync(c => c.Id != except && EF.Functions.ILike(c.NameZh, zh, "\\"), ct)) refusals.Add(CategoryRefusal.NameZhTaken);
        return refusals;
    }

    /// <summary>The text as an ILIKE pattern matching only itself.</summary>
    private static string Literal(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>One change to the categories at a time (they change rarely): names stay unique and ids are not taken twice.</summary>
    private Task<int> LockAsync(CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync("LOCK TABLE categories IN SHARE ROW EXCLUSIVE MODE", ct);
}
