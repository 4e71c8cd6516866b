// Command pulumi-ecd-codegen generates a language SDK from a Pulumi package schema with Pulumi's own codegen
// library (what `pulumi package gen-sdk` does through a language host; no host here implements GeneratePackage).
//
//	pulumi-ecd-codegen -schema provider/cmd/pulumi-resource-ecd/schema.json -language python|go
//
// It prints one JSON object on stdout, each generated file's path (relative to the SDK's folder) to its text.
// scripts/get-pulumi.sh builds it in a copy of the CLI's throwaway module, so it uses the CLI's exact codegen.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// The name generated files credit in their "do not edit" header.
const tool = "pulumi-ecd-codegen (Pulumi codegen v3.274.1)"

// noDependencies loads no other package: the ecd schema references none, so a request is a schema error.
type noDependencies struct{}

func (noDependencies) refuse(name string) error {
	return fmt.Errorf("the schema references package %q; pulumi-ecd-codegen resolves no other packages", name)
}

func (l noDependencies) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, l.refuse(pkg)
}

func (l noDependencies) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, l.refuse(d.Name)
}

func (l noDependencies) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, l.refuse(pkg)
}

func (l noDependencies) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return nil, l.refuse(d.Name)
}

func generate(schemaPath, language string) (map[string][]byte, error) {
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", schemaPath, err)
	}
	pkg, diags, err := schema.BindSpec(spec, noDependencies{}, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s does not bind:\n%s", schemaPath, diags.Error())
	}
	switch language {
	case "python":
		return python.GeneratePackage(tool, pkg, nil, noDependencies{})
	case "go":
		return gogen.GeneratePackage(tool, pkg, nil)
	default:
		return nil, fmt.Errorf("-language %q: expected python or go", language)
	}
}

func main() {
	schemaPath := flag.String("schema", "", "the Pulumi package schema (JSON)")
	language := flag.String("language", "", "python or go")
	flag.Parse()
	files, err := generate(*schemaPath, *language)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-ecd-codegen:", err)
		os.Exit(1)
	}
	text := make(map[string]string, len(files))
	for path, content := range files {
		text[path] = string(content)
	}
	if err := json.NewEncoder(os.Stdout).Encode(text); err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-ecd-codegen:", err)
		os.Exit(1)
	}
}
