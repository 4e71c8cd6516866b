// Manage batches of Alibaba Cloud ECD cloud computers (OpenAPI 2020-09-30) as code.
package ecd
