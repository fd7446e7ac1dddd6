using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TaobaoAlliance.Data.Catalog;

/// <summary>A marketplace category; sites are filed under one too, which is what CPC campaigns target.</summary>
public sealed class Category
{
    public int Id { get; set; }
    public string Slug { get; set; } = "";
    public string NameZh { get; set; } = "";
    public string NameEn { get; set; } = "";

    /// <summary>Where the category stands in menus and choices (then by id); the admin reorders (CategoryAdmin).</summary>
    public int SortOrder { get; set; }

    /// <summary>Set when an admin retired it: no longer offered for new items or sites nor in the storefront menu; its items stay.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}

internal sealed class CategoryConfiguration : IEntityTypeConfiguration<Category>
{
    public void Configure(EntityTypeBuilder<Category> b)
    {
        b.Property(c => c.Id).ValueGeneratedNever();
        b.Property(c => c.Slug).HasMaxLength(64);
        b.Property(c => c.NameZh).HasMaxLength(64);
        b.Property(c => c.NameEn).HasMaxLength(64);
        b.HasIndex(c => c.Slug).IsUnique();
    }
}
